from django.urls import path

from . import views
from .views import sources

app_name = "veille"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    # sources (part A)
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
