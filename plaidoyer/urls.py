from django.urls import path

from .views import board, grid, interactions, organisations, stakeholders

app_name = "plaidoyer"

urlpatterns = [
    path("", board.index, name="index"),
    # Organisations
    path("organisations/", organisations.organisation_list, name="organisations"),
    path("organisations/nouvelle/", organisations.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path(
        "organisations/<int:pk>/modifier/",
        organisations.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "organisations/<int:pk>/supprimer/",
        organisations.organisation_delete,
        name="organisation_delete",
    ),
    path(
        "organisations/<int:pk>/archiver/",
        organisations.organisation_archive,
        name="organisation_archive",
    ),
    # Stakeholders
    path("interlocuteurs/", stakeholders.stakeholder_list, name="stakeholders"),
    path("interlocuteurs/nouveau/", stakeholders.stakeholder_create, name="stakeholder_create"),
    path("interlocuteurs/<int:pk>/", stakeholders.stakeholder_detail, name="stakeholder_detail"),
    path(
        "interlocuteurs/<int:pk>/modifier/", stakeholders.stakeholder_edit, name="stakeholder_edit"
    ),
    path(
        "interlocuteurs/<int:pk>/fusionner/",
        stakeholders.stakeholder_merge,
        name="stakeholder_merge",
    ),
    path(
        "interlocuteurs/<int:pk>/donnees-personnelles/",
        stakeholders.stakeholder_personal_data,
        name="stakeholder_personal_data",
    ),
    path(
        "interlocuteurs/<int:pk>/effacer/", stakeholders.stakeholder_erase, name="stakeholder_erase"
    ),
    path(
        "interlocuteurs/<int:pk>/positions/nouvelle/",
        interactions.position_create,
        name="position_create",
    ),
    path("positions/<int:pk>/supprimer/", interactions.position_delete, name="position_delete"),
    path("grille/", grid.grid, name="grid"),
    # Interactions and follow-ups
    path("echanges/", interactions.interaction_list, name="interactions"),
    path("echanges/nouveau/", interactions.interaction_create, name="interaction_create"),
    path("echanges/<int:pk>/", interactions.interaction_detail, name="interaction_detail"),
    path("echanges/<int:pk>/modifier/", interactions.interaction_edit, name="interaction_edit"),
    path(
        "echanges/<int:pk>/supprimer/", interactions.interaction_delete, name="interaction_delete"
    ),
    path("echanges/<int:pk>/suites/", interactions.follow_up_create, name="follow_up_create"),
    path("suites/", interactions.follow_up_list, name="follow_ups"),
    path("suites/<int:pk>/faite/", interactions.follow_up_mark, name="follow_up_mark"),
    path("suites/<int:pk>/supprimer/", interactions.follow_up_delete, name="follow_up_delete"),
]
