from django.contrib import admin

from .models import (
    Alert,
    AnalysisNote,
    Annotation,
    Cluster,
    Item,
    NoteVersion,
    OpmlImport,
    Source,
    WatchRule,
)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "country",
        "language",
        "active",
        "last_outcome",
        "consecutive_failures",
        "next_fetch_at",
    )
    list_filter = ("kind", "active", "last_outcome", "language", "country")
    search_fields = ("name", "feed_url", "site_url")
    filter_horizontal = ("themes",)
    readonly_fields = (
        "etag",
        "last_modified",
        "fetch_interval",
        "next_fetch_at",
        "last_fetched_at",
        "last_success_at",
        "last_outcome",
        "last_status",
        "last_error_code",
        "last_error",
        "consecutive_failures",
        "last_entry_count",
        "last_new_count",
        "created_at",
        "updated_at",
    )


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "published_at", "language", "status", "importance")
    list_filter = ("status", "importance", "language", "source__kind")
    search_fields = ("title", "url", "guid")
    date_hierarchy = "published_at"
    raw_id_fields = ("source", "cluster", "triaged_by")
    filter_horizontal = ("themes", "countries")
    list_select_related = ("source",)
    readonly_fields = ("dedup_key", "content_hash", "fetched_at", "changed_at", "is_cluster_lead")
    show_full_result_count = False


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ("title", "item_count", "source_count", "status", "latest_published_at")
    list_filter = ("status",)
    search_fields = ("title",)
    raw_id_fields = ("representative",)


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ("item", "author", "created_at")
    raw_id_fields = ("item",)


@admin.register(WatchRule)
class WatchRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "active", "alert_in_app", "digest_email")
    list_filter = ("active", "alert_in_app", "digest_email")
    search_fields = ("name", "query")
    readonly_fields = ("last_evaluated_item_id", "last_evaluated_at", "last_digest_at")


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("rule", "user", "item", "cluster", "created_at", "read_at")
    raw_id_fields = ("item", "cluster", "rule")


class NoteVersionInline(admin.TabularInline):
    model = NoteVersion
    extra = 0
    fields = ("number", "title", "status", "author", "created_at")
    readonly_fields = fields
    can_delete = False


@admin.register(AnalysisNote)
class AnalysisNoteAdmin(admin.ModelAdmin):
    list_display = ("title", "author", "status", "audience", "updated_at")
    list_filter = ("status", "audience")
    search_fields = ("title",)
    raw_id_fields = ("cited_items",)
    inlines = [NoteVersionInline]


@admin.register(OpmlImport)
class OpmlImportAdmin(admin.ModelAdmin):
    list_display = ("filename", "status", "total", "created_count", "error_count", "created_at")
    readonly_fields = ("errors",)
    exclude = ("payload",)
