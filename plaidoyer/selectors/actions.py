"""Reads of advocacy actions: scoping, the list's FilterSet, the board by status, one
action's page (targets, evidence with the gate's answer today, deliverables)."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import AdvocacyAction
from ..permissions import can_read, managed_q


def actions_visible_to(user) -> QuerySet[AdvocacyAction]:
    if not can_read(user):
        return AdvocacyAction.objects.none()
    return AdvocacyAction.objects.select_related("country", "owner")


def actions_managed_by(user) -> QuerySet[AdvocacyAction]:
    condition = managed_q(user)
    queryset = actions_visible_to(user)
    return queryset if condition is None else queryset.filter(condition)
