"""Reads of outcomes (outcome harvesting) and lessons learned: scoping, the lists'
FilterSets (lessons searchable without accents), one outcome's page."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.utils import timezone

from ..models import Lesson, Outcome
from ..permissions import can_read, managed_q


def outcomes_visible_to(user) -> QuerySet[Outcome]:
    if not can_read(user):
        return Outcome.objects.none()
    return Outcome.objects.select_related("country", "stakeholder", "organisation")


def outcomes_managed_by(user) -> QuerySet[Outcome]:
    condition = managed_q(user)
    queryset = outcomes_visible_to(user)
    return queryset if condition is None else queryset.filter(condition)


def outcome_filterset(*, user, data):
    from ..filters import OutcomeFilter

    return OutcomeFilter(
        data=data if data is not None else QueryDict(), queryset=outcomes_visible_to(user)
    )


def outcome_detail_queryset(user) -> QuerySet[Outcome]:
    from influence.models import Objective

    from ..models import AdvocacyAction

    return (
        outcomes_visible_to(user)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("actions", queryset=AdvocacyAction.objects.select_related("country")),
            Prefetch("objectives", queryset=Objective.objects.select_related("strategy__country")),
        )
    )


def outcome_markers(outcome: Outcome) -> list:
    """The progress markers this outcome was ticked as evidence of."""
    from django.contrib.contenttypes.models import ContentType

    from influence.models import MarkerEvidence

    return [
        evidence.marker
        for evidence in MarkerEvidence.objects.filter(
            content_type=ContentType.objects.get_for_model(Outcome), object_id=outcome.pk
        ).select_related("marker__objective")
    ]


def quarter_start(day: datetime.date | None = None) -> datetime.date:
    day = day or timezone.localdate()
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


def lessons_visible_to(user) -> QuerySet[Lesson]:
    if not can_read(user):
        return Lesson.objects.none()
    return Lesson.objects.select_related("country", "author")


def lessons_managed_by(user) -> QuerySet[Lesson]:
    condition = managed_q(user)
    queryset = lessons_visible_to(user)
    return queryset if condition is None else queryset.filter(condition)


def lesson_filterset(*, user, data):
    from ..filters import LessonFilter

    return LessonFilter(
        data=data if data is not None else QueryDict(),
        queryset=lessons_visible_to(user).prefetch_related("themes"),
    )


def lesson_detail_queryset(user) -> QuerySet[Lesson]:
    from ..models import AdvocacyAction

    return lessons_visible_to(user).prefetch_related(
        "themes", Prefetch("actions", queryset=AdvocacyAction.objects.select_related("country"))
    )
