"""Reads for users, reference data and the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEvent, Country, Site, Theme


def user_has_confirmed_otp(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def user_recovery_codes_left(user) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user).count()


def countries_list() -> QuerySet[Country]:
    return Country.objects.all()


def sites_list() -> QuerySet[Site]:
    return Site.objects.select_related("country")


def themes_list() -> QuerySet[Theme]:
    return Theme.objects.all()


def audit_events_for_object(obj, *, limit: int = 50) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")[:limit]


def team_memberships():
    """Active users with their memberships, for the coordinator's team page (2 queries)."""
    from django.db.models import Prefetch

    from .models import Membership, User

    return (
        User.objects.filter(is_active=True)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("country", "site").order_by("role"),
            )
        )
        .order_by("last_name", "first_name", "username")
    )
