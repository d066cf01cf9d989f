"""Reads for users, reference data and the audit log."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils.translation import get_language

from .models import AuditEvent, Country, Site, Theme


def user_has_confirmed_otp(user) -> bool:
    """Whether the user has a confirmed TOTP device. The user of a request already knows
    (`core.authentication.ModelBackend` loads it with the user)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    known = getattr(user, "has_confirmed_otp", None)
    if known is not None:
        return known
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def user_recovery_codes_left(user) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user).count()


def with_theme_names(queryset: QuerySet, relation: str = "themes") -> list:
    """The objects of `queryset`, in its order, each with `theme_names`: the names of its
    themes (through the many-to-many `relation`) in the current language, in the themes'
    order — in one query (a join: one row per object and theme, grouped here) instead of
    a query and a prefetch. For short lists: calendars, cards."""
    english = (get_language() or "fr").startswith("en")
    rows = queryset.prefetch_related(None).annotate(
        theme_name_fr=F(f"{relation}__name_fr"),
        theme_name_en=F(f"{relation}__name_en"),
        theme_position=F(f"{relation}__position"),
    )
    objects: dict = {}
    themes: dict = {}
    for row in rows:
        objects.setdefault(row.pk, row)
        if row.theme_name_fr is not None:
            name = row.theme_name_en if english else row.theme_name_fr
            themes.setdefault(row.pk, []).append((row.theme_position, name))
    for pk, obj in objects.items():
        obj.theme_names = tuple(name for _position, name in sorted(themes.get(pk, [])))
    return list(objects.values())


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
