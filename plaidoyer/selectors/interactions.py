"""Reads of interactions, follow-ups and positions: what a user may read (confidential
exchanges: coordinators and their author only), the lists' FilterSets, overdue
follow-ups and the navigation badge."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.utils import timezone

from core.memo import memo

from ..models import FollowUp, Interaction, Position, Stakeholder
from ..permissions import can_read, interaction_visibility_q, managed_q


def interactions_visible_to(user) -> QuerySet[Interaction]:
    if not can_read(user):
        return Interaction.objects.none()
    queryset = Interaction.objects.select_related("country", "author", "coalition")
    condition = interaction_visibility_q(user)
    return queryset if condition is None else queryset.filter(condition)


def interactions_managed_by(user) -> QuerySet[Interaction]:
    condition = managed_q(user)
    queryset = interactions_visible_to(user)
    return queryset if condition is None else queryset.filter(condition)


def interaction_detail_queryset(user) -> QuerySet[Interaction]:
    return interactions_visible_to(user).prefetch_related(
        Prefetch("stakeholders", queryset=Stakeholder.objects.select_related("organisation")),
        "organisations",
        "participants",
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner", "done_by")),
        Prefetch("positions", queryset=Position.objects.select_related("stakeholder", "theme")),
    )


def interaction_filterset(*, user, data):
    from ..filters import InteractionFilter

    return InteractionFilter(
        data=data if data is not None else QueryDict(),
        queryset=interactions_visible_to(user).prefetch_related(
            Prefetch(
                "stakeholders",
                queryset=Stakeholder.objects.only(
                    "pk", "full_name", "can_restrict_operations", "organisation_id"
                ),
            )
        ),
    )


def follow_ups_visible_to(user) -> QuerySet[FollowUp]:
    if not can_read(user):
        return FollowUp.objects.none()
    queryset = FollowUp.objects.select_related("interaction__country", "owner", "done_by")
    condition = interaction_visibility_q(user, prefix="interaction__")
    return queryset if condition is None else queryset.filter(condition)


def follow_up_filterset(*, user, data):
    from ..filters import FollowUpFilter

    return FollowUpFilter(
        data=data if data is not None else QueryDict(),
        queryset=follow_ups_visible_to(user),
        user=user,
    )


def overdue_follow_ups(user) -> QuerySet[FollowUp]:
    return follow_ups_visible_to(user).filter(done_at__isnull=True, due_on__lt=timezone.localdate())


OWN_OVERDUE = "plaidoyer.own_overdue_follow_ups"


def nav_badge(user) -> int | None:
    """What waits for this user in the section: their own overdue follow-ups (among those
    they can see; counted once per request — the dashboard's card tells it)."""
    if not can_read(user):
        return None
    count = memo(user, OWN_OVERDUE, lambda: overdue_follow_ups(user).filter(owner=user).count())
    return count or None


def positions_managed_by(user) -> QuerySet[Position]:
    condition = managed_q(user, "stakeholder__country")
    queryset = Position.objects.select_related("stakeholder")
    if not can_read(user):
        return queryset.none()
    return queryset if condition is None else queryset.filter(condition)
