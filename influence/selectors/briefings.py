"""Reads of the monthly briefing: which editions a user may read, the list with each
edition's latest render, who answers for a scheduled render, who gets the email."""

from __future__ import annotations

import datetime

import django_filters
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import ListFilterSet, SortFilter
from core.models import Membership, PdfJob, Role, User

from ..models import Briefing, BriefingSubscription
from ..permissions import briefing_audiences

BRIEFING_PDF = "influence.briefing"


def briefings_visible_to(user) -> QuerySet[Briefing]:
    """Partners editions for every briefing reader, internal ones for the roles that
    work with testimonies (see `permissions.briefing_audiences`)."""
    audiences = briefing_audiences(user)
    if not audiences:
        return Briefing.objects.none()
    return Briefing.objects.filter(audience__in=audiences)


class BriefingFilterSet(ListFilterSet):
    audience = django_filters.ChoiceFilter(
        label=_("Public"), choices=Briefing.Audience.choices, empty_label=_("Tous")
    )
    language = django_filters.ChoiceFilter(
        label=_("Langue"), choices=Briefing.Language.choices, empty_label=_("Toutes")
    )
    sort = SortFilter(
        fields={"period": "period_start", "audience": "audience", "language": "language"},
        default="-period",
        tiebreak=("-period_end", "audience", "language", "-pk"),
    )

    class Meta:
        model = Briefing
        fields = ["audience", "language"]


def briefing_list(user, data) -> BriefingFilterSet:
    return BriefingFilterSet(
        data=data, queryset=briefings_visible_to(user).select_related("created_by")
    )


def latest_jobs(briefings) -> dict[int, PdfJob]:
    """The newest render of each briefing of a page (one query: older finished renders
    are deleted when a new one is ready, so each briefing has one or two jobs)."""
    ids = [str(b.pk) for b in briefings]
    if not ids:
        return {}
    jobs = (
        PdfJob.objects.filter(kind=BRIEFING_PDF, object_id__in=ids)
        .select_related("requested_by")
        .order_by("-requested_at", "-id")
    )
    found: dict[int, PdfJob] = {}
    for job in jobs:
        found.setdefault(int(job.object_id), job)
    return found


def briefing_for(
    *, start: datetime.date, end: datetime.date, audience: str, language: str
) -> Briefing | None:
    return Briefing.objects.filter(
        period_start=start, period_end=end, audience=audience, language=language
    ).first()


def briefing_owner() -> User | None:
    """Who answers for a scheduled briefing: `INFLUENCE_BRIEFING_OWNER` if that user is an
    active unit-wide coordinator, else the longest-standing one (None if there is none)."""
    coordinators = User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(
            role=Role.COORDINATOR, country__isnull=True, site__isnull=True
        ).values("user_id"),
    )
    if settings.INFLUENCE_BRIEFING_OWNER:
        named = coordinators.filter(username=settings.INFLUENCE_BRIEFING_OWNER).first()
        if named is not None:
            return named
    return coordinators.order_by("date_joined", "pk").first()


def is_subscribed(user) -> bool:
    return BriefingSubscription.objects.filter(user_id=user.pk).exists()


def briefing_recipients(briefing: Briefing) -> list[User]:
    """Subscribed, active users with an address who may read this briefing."""
    users = (
        User.objects.filter(briefing_subscription__isnull=False, is_active=True)
        .exclude(email="")
        .filter(~Q(email__isnull=True))
        .order_by("pk")
    )
    return [user for user in users if briefing.audience in briefing_audiences(user)]
