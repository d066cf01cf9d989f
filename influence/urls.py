from django.urls import path

from .views import briefings, calendar, dashboard, messages, objectives, strategies

app_name = "influence"

urlpatterns = [
    path("tableau-de-bord/", dashboard.dashboard, name="dashboard"),
    # Strategies and their risks
    path("strategies/", strategies.strategy_index, name="strategies"),
    path("strategies/nouvelle/", strategies.strategy_create, name="strategy_create"),
    path("strategies/<int:pk>/", strategies.strategy_detail, name="strategy_detail"),
    path("strategies/<int:pk>/modifier/", strategies.strategy_edit, name="strategy_edit"),
    path("strategies/<int:pk>/valider/", strategies.strategy_validate, name="strategy_validate"),
    path("strategies/<int:pk>/archiver/", strategies.strategy_archive, name="strategy_archive"),
    path("strategies/<int:pk>/risques/nouveau/", strategies.risk_create, name="risk_create"),
    path("strategies/risques/<int:pk>/", strategies.risk_edit, name="risk_edit"),
    path("strategies/risques/<int:pk>/supprimer/", strategies.risk_delete, name="risk_delete"),
    # Objectives, markers, indicators
    path("objectifs/", objectives.objective_list, name="objectives"),
    path(
        "strategies/<int:strategy_pk>/objectifs/nouveau/",
        objectives.objective_create,
        name="objective_create",
    ),
    path("objectifs/<int:pk>/", objectives.objective_detail, name="objective_detail"),
    path("objectifs/<int:pk>/modifier/", objectives.objective_edit, name="objective_edit"),
    path("objectifs/<int:pk>/supprimer/", objectives.objective_delete, name="objective_delete"),
    path("objectifs/<int:pk>/marqueurs/", objectives.marker_create, name="marker_create"),
    path("objectifs/marqueurs/<int:pk>/cocher/", objectives.marker_tick, name="marker_tick"),
    path("objectifs/marqueurs/<int:pk>/decocher/", objectives.marker_untick, name="marker_untick"),
    path("objectifs/marqueurs/<int:pk>/supprimer/", objectives.marker_delete, name="marker_delete"),
    path("objectifs/preuves/<int:pk>/retirer/", objectives.evidence_remove, name="evidence_remove"),
    path("objectifs/<int:pk>/indicateurs/", objectives.indicator_create, name="indicator_create"),
    path("objectifs/indicateurs/<int:pk>/", objectives.indicator_edit, name="indicator_edit"),
    path(
        "objectifs/indicateurs/<int:pk>/supprimer/",
        objectives.indicator_delete,
        name="indicator_delete",
    ),
    # Key messages and lines to take
    path("messages/", messages.message_list, name="messages"),
    path("messages/matrice/", messages.coherence_matrix, name="coherence_matrix"),
    path("messages/nouveau/", messages.message_create, name="message_create"),
    path("messages/<int:pk>/", messages.message_detail, name="message_detail"),
    path("messages/<int:pk>/variante/", messages.variant_create, name="variant_create"),
    path("messages/<int:pk>/modifier/", messages.message_edit, name="message_edit"),
    path("messages/<int:pk>/approuver/", messages.message_approve, name="message_approve"),
    path("messages/<int:pk>/retirer/", messages.message_retire, name="message_retire"),
    path("messages/elements-de-langage/", messages.lines_list, name="lines_list"),
    path("messages/elements-de-langage/nouveaux/", messages.lines_create, name="lines_create"),
    path("messages/elements-de-langage/<int:pk>/", messages.lines_detail, name="lines_detail"),
    path("messages/elements-de-langage/<int:pk>/modifier/", messages.lines_edit, name="lines_edit"),
    path(
        "messages/elements-de-langage/<int:pk>/supprimer/",
        messages.lines_delete,
        name="lines_delete",
    ),
    path("messages/elements-de-langage/<int:pk>/pdf/", messages.lines_pdf, name="lines_pdf"),
    # Political calendar
    path("calendrier/", calendar.calendar_month, name="calendar"),
    path("calendrier/liste/", calendar.calendar_list, name="calendar_list"),
    path("calendrier/evenements/nouveau/", calendar.event_create, name="event_create"),
    path("calendrier/evenements/<int:pk>/", calendar.event_detail, name="event_detail"),
    path("calendrier/evenements/<int:pk>/modifier/", calendar.event_edit, name="event_edit"),
    path("calendrier/evenements/<int:pk>/supprimer/", calendar.event_delete, name="event_delete"),
    path("calendrier/abonnement/", calendar.feed_settings, name="feed_settings"),
    path("calendrier/abonnement/creer/", calendar.feed_enable, name="feed_enable"),
    path("calendrier/abonnement/revoquer/", calendar.feed_revoke, name="feed_revoke"),
    path("calendrier/ical/<str:token>.ics", calendar.ical_feed, name="ical_feed"),
    # Monthly briefing
    path("briefings/", briefings.briefing_list, name="briefings"),
    path("briefings/nouveau/", briefings.briefing_create, name="briefing_create"),
    path("briefings/abonnement/", briefings.briefing_subscription, name="briefing_subscription"),
    path("briefings/<int:pk>/", briefings.briefing_detail, name="briefing_detail"),
    path("briefings/<int:pk>/modifier/", briefings.briefing_edit, name="briefing_edit"),
    path("briefings/<int:pk>/apercu/", briefings.briefing_preview, name="briefing_preview"),
    path("briefings/<int:pk>/generer/", briefings.briefing_generate, name="briefing_generate"),
    path("briefings/<int:pk>/supprimer/", briefings.briefing_delete, name="briefing_delete"),
]
