from django.urls import path

from .views import (
    actions,
    budget,
    coalitions,
    grid,
    imports,
    interactions,
    organisations,
    outcomes,
    stakeholders,
)

app_name = "plaidoyer"

urlpatterns = [
    path("", actions.action_board, name="index"),
    # Advocacy actions
    path("actions/", actions.action_list, name="actions"),
    path("actions/nouvelle/", actions.action_create, name="action_create"),
    path("actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path("actions/<int:pk>/modifier/", actions.action_edit, name="action_edit"),
    path("actions/<int:pk>/statut/", actions.action_status, name="action_status"),
    path("actions/<int:pk>/supprimer/", actions.action_delete, name="action_delete"),
    path("actions/<int:pk>/articles/", actions.action_items, name="action_items"),
    path(
        "actions/<int:pk>/articles/<int:item_pk>/retirer/",
        actions.action_item_remove,
        name="action_item_remove",
    ),
    path("actions/<int:pk>/temoignages/", actions.action_testimonies, name="action_testimonies"),
    path(
        "actions/<int:pk>/temoignages/<int:evidence_pk>/retirer/",
        actions.action_testimony_remove,
        name="action_testimony_remove",
    ),
    path("actions/<int:pk>/livrables/", actions.deliverable_upload, name="deliverable_upload"),
    path("livrables/<int:pk>/", actions.deliverable_download, name="deliverable_download"),
    path("livrables/<int:pk>/supprimer/", actions.deliverable_delete, name="deliverable_delete"),
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
    path("interlocuteurs/importer/", imports.stakeholder_import, name="stakeholder_import"),
    path(
        "interlocuteurs/importer/<str:token>/",
        imports.stakeholder_import_confirm,
        name="stakeholder_import_confirm",
    ),
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
    # Coalitions and joint statements
    path("coalitions/", coalitions.coalition_list, name="coalitions"),
    path("coalitions/nouvelle/", coalitions.coalition_create, name="coalition_create"),
    path("coalitions/<int:pk>/", coalitions.coalition_detail, name="coalition_detail"),
    path("coalitions/<int:pk>/modifier/", coalitions.coalition_edit, name="coalition_edit"),
    path(
        "coalitions/<int:pk>/declarations/nouvelle/",
        coalitions.statement_create,
        name="statement_create",
    ),
    path("declarations/<int:pk>/", coalitions.statement_detail, name="statement_detail"),
    path("declarations/<int:pk>/modifier/", coalitions.statement_edit, name="statement_edit"),
    path(
        "declarations/<int:pk>/signatures/<int:signature_pk>/",
        coalitions.signature_update,
        name="signature_update",
    ),
    # Outcomes and lessons
    path("resultats/", outcomes.outcome_list, name="outcomes"),
    path("resultats/nouveau/", outcomes.outcome_create, name="outcome_create"),
    path("resultats/<int:pk>/", outcomes.outcome_detail, name="outcome_detail"),
    path("resultats/<int:pk>/modifier/", outcomes.outcome_edit, name="outcome_edit"),
    path("lecons/", outcomes.lesson_list, name="lessons"),
    path("lecons/nouvelle/", outcomes.lesson_create, name="lesson_create"),
    path("lecons/<int:pk>/", outcomes.lesson_detail, name="lesson_detail"),
    path("lecons/<int:pk>/modifier/", outcomes.lesson_edit, name="lesson_edit"),
    # Budget
    path("budget/", budget.budget, name="budget"),
    path("budget/export/", budget.budget_export, name="budget_export"),
    path("budget/lignes/nouvelle/", budget.budget_line_create, name="budget_line_create"),
    path("budget/lignes/<int:pk>/", budget.budget_line_detail, name="budget_line_detail"),
    path("budget/lignes/<int:pk>/modifier/", budget.budget_line_edit, name="budget_line_edit"),
    path("suites/", interactions.follow_up_list, name="follow_ups"),
    path("suites/<int:pk>/faite/", interactions.follow_up_mark, name="follow_up_mark"),
    path("suites/<int:pk>/supprimer/", interactions.follow_up_delete, name="follow_up_delete"),
]
