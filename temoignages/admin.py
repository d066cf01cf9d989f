"""Admin for testimonies: metadata only.

Narratives, answers, external versions, identities and files are not shown here: they
are read through the app's pages, which check scope and write the audit log. The
identity register shows pseudonyms only (reveal is an audited action of the detail page).
Testimonies, consents and media are created through the services, never in the admin.
"""

from django.contrib import admin

from .models import (
    CollectionForm,
    CollectionFormVersion,
    CollectionObjective,
    Consent,
    FormQuestion,
    MediaAttachment,
    Person,
    ReferenceCounter,
    Testimony,
    TestimonyEvent,
    TestimonyUse,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FormQuestionInline(admin.TabularInline):
    model = FormQuestion
    extra = 0
    fields = ["position", "key", "kind", "label_fr", "label_en", "label_ar", "required"]


@admin.register(CollectionForm)
class CollectionFormAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    filter_horizontal = ["sites"]


@admin.register(CollectionFormVersion)
class CollectionFormVersionAdmin(admin.ModelAdmin):
    list_display = ["form", "number", "published_at", "created_at"]
    list_select_related = ["form"]
    inlines = [FormQuestionInline]


@admin.register(CollectionObjective)
class CollectionObjectiveAdmin(admin.ModelAdmin):
    list_display = ["theme", "site", "country", "period_start", "period_end", "target_count"]
    list_select_related = ["theme", "site", "country"]
    list_filter = ["theme", "site", "country"]


class ConsentInline(ReadOnlyMixin, admin.TabularInline):
    model = Consent
    fk_name = "testimony"
    extra = 0
    fields = ["given_on", "expires_on", "method", "withdrawn_at", "created_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Testimony)
class TestimonyAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "site",
        "collected_on",
        "status",
        "sensitivity",
        "is_minor",
        "retention_date",
    ]
    list_filter = ["status", "sensitivity", "is_minor", "site"]
    list_select_related = ["site"]
    search_fields = ["reference"]
    date_hierarchy = "collected_on"
    show_full_result_count = False
    # Metadata only; content and identity stay behind the audited pages.
    fields = [
        "reference",
        "site",
        "collected_on",
        "collected_by",
        "language",
        "status",
        "sensitivity",
        "is_minor",
        "retention_date",
        "anonymised_at",
        "created_at",
        "submitted_at",
        "reviewed_at",
    ]
    readonly_fields = [
        "reference",
        "site",
        "collected_on",
        "collected_by",
        "language",
        "status",
        "is_minor",
        "anonymised_at",
        "created_at",
        "submitted_at",
        "reviewed_at",
    ]
    inlines = [ConsentInline]

    def has_add_permission(self, request):
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Pseudonyms only: name and contact are never displayed here."""

    list_display = ["pseudonym", "created_at"]
    search_fields = ["pseudonym"]
    fields = ["pseudonym", "created_at"]
    readonly_fields = fields


@admin.register(MediaAttachment)
class MediaAttachmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["testimony", "kind", "mime_type", "size_bytes", "metadata_stripped"]
    list_filter = ["kind", "metadata_stripped"]
    list_select_related = ["testimony"]
    fields = ["testimony", "kind", "mime_type", "size_bytes", "sha256", "metadata_stripped"]
    readonly_fields = fields


@admin.register(TestimonyUse)
class TestimonyUseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["testimony", "audience", "where", "used_by", "used_on", "takedown_done_at"]
    list_filter = ["audience"]
    list_select_related = ["testimony", "used_by"]


@admin.register(TestimonyEvent)
class TestimonyEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["testimony", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["testimony", "actor"]


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["year", "last_value"]
