"""Reads of coalitions and joint statements: scoping, lists, a coalition's page (members,
meetings, statements and their sign-off)."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Coalition, JointStatement
from ..permissions import can_read, managed_q


def coalitions_visible_to(user) -> QuerySet[Coalition]:
    if not can_read(user):
        return Coalition.objects.none()
    return Coalition.objects.select_related("country", "representative")


def coalitions_managed_by(user) -> QuerySet[Coalition]:
    condition = managed_q(user)
    queryset = coalitions_visible_to(user)
    return queryset if condition is None else queryset.filter(condition)


def statements_visible_to(user) -> QuerySet[JointStatement]:
    if not can_read(user):
        return JointStatement.objects.none()
    return JointStatement.objects.select_related("coalition__country")
