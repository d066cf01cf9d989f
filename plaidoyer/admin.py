"""Admin for advocacy: reference lists and budget lines to correct by hand.

Writes that carry rules (merges, erasure, the action workflow, evidence through the
publication gate, imports) go through the app's pages and services, which audit them;
here interactions, actions and evidence are read-only.
"""

from django.contrib import admin

from .models import (
    AdvocacyAction,
    BudgetLine,
    Coalition,
    Interaction,
    JointStatement,
    Lesson,
    Organisation,
    Outcome,
    Stakeholder,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "country", "archived_at"]
    list_filter = ["kind", "country"]
    list_select_related = ["country"]
    search_fields = ["name", "acronym"]
    readonly_fields = ["archived_at"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Stakeholder)
class StakeholderAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "full_name",
        "organisation",
        "country",
        "influence",
        "interest",
        "alignment",
        "can_restrict_operations",
    ]
    list_filter = ["can_restrict_operations", "country"]
    list_select_related = ["organisation", "country"]
    search_fields = ["full_name", "function"]


@admin.register(Interaction)
class InteractionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["occurred_on", "kind", "country", "sensitivity", "author"]
    list_filter = ["kind", "sensitivity", "country"]
    list_select_related = ["country", "author"]
    # Titles and summaries of confidential exchanges stay out of the admin.
    fields = ["occurred_on", "kind", "country", "sensitivity", "author"]


@admin.register(AdvocacyAction)
class AdvocacyActionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "status", "country", "due_on", "owner"]
    list_filter = ["status", "kind", "country"]
    list_select_related = ["country", "owner"]
    search_fields = ["title"]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "country", "allocation"]
    list_filter = ["year", "country"]
    list_select_related = ["country"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Coalition)
class CoalitionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "level", "country"]
    list_select_related = ["country"]


@admin.register(JointStatement)
class JointStatementAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "coalition", "status", "deadline"]
    list_select_related = ["coalition"]


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "contribution", "occurred_on", "country"]
    list_select_related = ["country"]


@admin.register(Lesson)
class LessonAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "country", "created_at"]
    list_select_related = ["country"]
