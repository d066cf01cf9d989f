from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Country, Membership, Site, Theme, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["country", "site"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Préférences"), {"fields": ("preferred_language",)}),
    )


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_en", "region", "is_pseudo"]
    list_filter = ["region", "is_pseudo"]
    search_fields = ["code", "name_fr", "name_en"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "country", "kind", "status", "risk_level"]
    list_filter = ["country", "kind", "status", "risk_level"]
    search_fields = ["code", "name_fr", "name_en"]
    list_select_related = ["country"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_fr", "name_en", "position"]
    list_editable = ["position"]
    search_fields = ["slug", "name_fr", "name_en"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, even for superusers."""

    list_display = ["created_at", "actor_label", "action", "object_type", "object_id", "ip_address"]
    list_filter = ["action", "object_type", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["actor_label", "object_type", "object_id", "ip_address"]
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
