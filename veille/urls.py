from django.urls import path

from . import feeds
from .views import alerts, exports, inbox, items, notes, rules, sources

app_name = "veille"

urlpatterns = [
    # inbox and triage, items, watch rules, alerts, RSS, notes, export
    path("", inbox.inbox, name="inbox"),
    path("tri-groupe/", inbox.bulk, name="bulk"),
    path("export/", exports.inbox_export, name="export"),
    path("articles/<int:pk>/", items.item_detail, name="item_detail"),
    path("articles/<int:pk>/trier/", inbox.triage, name="triage"),
    path("articles/<int:pk>/etiquettes/", inbox.tag_menu, name="tag_menu"),
    path("articles/<int:pk>/sujet/", inbox.story, name="story"),
    path("articles/<int:pk>/lecture/", items.item_reader, name="item_reader"),
    path("articles/<int:pk>/annotations/", items.annotation_add, name="annotation_add"),
    path("articles/<int:pk>/citer/", items.item_cite, name="item_cite"),
    path("annotations/<int:pk>/supprimer/", items.annotation_delete, name="annotation_delete"),
    path("alertes/", alerts.alert_list, name="alerts"),
    path("alertes/lues/", alerts.alerts_read, name="alerts_read"),
    path("regles/", rules.rule_list, name="rules"),
    path("regles/nouvelle/", rules.rule_create, name="rule_create"),
    path("regles/<int:pk>/", rules.rule_edit, name="rule_edit"),
    path("regles/<int:pk>/supprimer/", rules.rule_delete, name="rule_delete"),
    path("regles/<int:pk>/flux/", rules.rule_feed, name="rule_feed"),
    path("flux/<str:token>/", feeds.rule_feed_rss, name="rule_rss"),
    path("notes/", notes.note_list, name="notes"),
    path("notes/nouvelle/", notes.note_create, name="note_create"),
    path("notes/<int:pk>/", notes.note_detail, name="note_detail"),
    path("notes/<int:pk>/modifier/", notes.note_edit, name="note_edit"),
    path("notes/<int:pk>/statut/", notes.note_status, name="note_status"),
    path("notes/<int:pk>/citations/", notes.note_citations, name="note_citations"),
    path("notes/<int:pk>/historique/", notes.note_history, name="note_history"),
    path("notes/<int:pk>/versions/<int:number>/", notes.note_version, name="note_version"),
    path("notes/<int:pk>/supprimer/", notes.note_delete, name="note_delete"),
    path("notes/<int:pk>/pdf/", notes.note_pdf, name="note_pdf"),
    # sources
    path("sources/", sources.source_list, name="sources"),
    path("sources/sante/", sources.source_health, name="source_health"),
    path("sources/nouvelle/", sources.source_create, name="source_create"),
    path("sources/export.opml", sources.opml_export, name="opml_export"),
    path("sources/import/", sources.opml_import, name="opml_import"),
    path("sources/import/<int:pk>/", sources.opml_import_status, name="opml_import_status"),
    path("sources/<int:pk>/", sources.source_detail, name="source_detail"),
    path("sources/<int:pk>/modifier/", sources.source_edit, name="source_edit"),
    path("sources/<int:pk>/supprimer/", sources.source_delete, name="source_delete"),
    path("sources/<int:pk>/recuperer/", sources.source_fetch_now, name="source_fetch_now"),
]
