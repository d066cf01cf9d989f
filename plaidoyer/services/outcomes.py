"""Outcomes (outcome harvesting) — ticking the progress markers of influence's objectives
they show — and lessons learned."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import audit_record
from core.updates import model_update
from influence.models import MarkerEvidence, ProgressMarker

from ..models import Lesson, Outcome
from ._common import Action, audit, changed_detail, require_country, require_edit

OUTCOME_FIELDS = (
    "title",
    "description",
    "changed_by",
    "stakeholder",
    "organisation",
    "kind",
    "significance",
    "contribution",
    "contribution_detail",
    "evidence",
    "occurred_on",
    "country",
)
OUTCOME_RELATIONS = ("actions", "objectives")
LESSON_FIELDS = ("title", "what_worked", "what_did_not", "to_repeat", "country")
LESSON_RELATIONS = ("actions", "themes")


def _check_outcome(outcome: Outcome) -> None:
    if outcome.occurred_on and outcome.occurred_on > timezone.localdate():
        raise ValidationError(
            {"occurred_on": _("Un résultat se constate : cette date est dans le futur.")}
        )


def _set_relations(obj, relations: dict[str, Any]) -> list[str]:
    changed = []
    for name, values in relations.items():
        manager = getattr(obj, name)
        if set(manager.values_list("pk", flat=True)) != {v.pk for v in values}:
            manager.set(values)
            changed.append(name)
    return changed


def markers_tick(*, outcome: Outcome, markers, user, request=None) -> int:
    """Tick the progress markers this outcome shows (on the day it happened), with the
    outcome as their evidence; their objectives are linked to the outcome. A marker
    already reached keeps its date and gains the evidence."""
    content_type = ContentType.objects.get_for_model(Outcome)
    ticked = 0
    for marker in markers:
        if marker.reached_on is None:
            ProgressMarker.objects.filter(pk=marker.pk, reached_on__isnull=True).update(
                reached_on=outcome.occurred_on, reached_by=user
            )
            ticked += 1
        MarkerEvidence.objects.get_or_create(
            marker=marker,
            content_type=content_type,
            object_id=outcome.pk,
            defaults={
                "label": outcome.title[:300],
                "kind_label": _("Résultat de plaidoyer")[:80],
                "added_by": user,
            },
        )
        outcome.objectives.add(marker.objective_id)
        audit_record(
            actor=user,
            action=Action.CHANGE,
            obj=marker,
            request=request,
            detail={"reached": True, "evidence": 1, "by": "plaidoyer.outcome"},
        )
    return ticked


@transaction.atomic
def outcome_create(*, user, data: dict[str, Any], markers=(), request=None) -> Outcome:
    data = dict(data)
    relations = {name: data.pop(name) for name in OUTCOME_RELATIONS if name in data}
    outcome = Outcome(recorded_by=user)
    model_update(instance=outcome, fields=OUTCOME_FIELDS, data=data, save=False)
    require_country(user, outcome.country_id and outcome.country)
    _check_outcome(outcome)
    outcome.full_clean()
    outcome.save()
    _set_relations(outcome, relations)
    ticked = markers_tick(outcome=outcome, markers=markers, user=user, request=request)
    audit(user=user, action=Action.CREATE, obj=outcome, request=request, markers=ticked)
    return outcome


@transaction.atomic
def outcome_update(
    *, outcome: Outcome, user, data: dict[str, Any], markers=(), request=None
) -> list[str]:
    require_edit(user, outcome)
    data = dict(data)
    relations = {name: data.pop(name) for name in OUTCOME_RELATIONS if name in data}
    changed = model_update(instance=outcome, fields=OUTCOME_FIELDS, data=data, save=False)
    require_country(user, outcome.country)
    _check_outcome(outcome)
    outcome.full_clean()
    outcome.save()
    changed += _set_relations(outcome, relations)
    if markers_tick(outcome=outcome, markers=markers, user=user, request=request):
        changed.append("markers")
    if changed:
        audit(
            user=user, action=Action.CHANGE, obj=outcome, request=request, **changed_detail(changed)
        )
    return changed


@transaction.atomic
def lesson_create(*, user, data: dict[str, Any], request=None) -> Lesson:
    data = dict(data)
    relations = {name: data.pop(name) for name in LESSON_RELATIONS if name in data}
    lesson = Lesson(author=user)
    model_update(instance=lesson, fields=LESSON_FIELDS, data=data, save=False)
    require_country(user, lesson.country_id and lesson.country)
    if not (lesson.what_worked.strip() or lesson.what_did_not.strip() or lesson.to_repeat.strip()):
        raise ValidationError(
            _("Écrivez au moins ce qui a marché, ce qui n'a pas marché ou ce qu'il faut refaire.")
        )
    lesson.refresh_search_text()
    lesson.full_clean()
    lesson.save()
    _set_relations(lesson, relations)
    audit(user=user, action=Action.CREATE, obj=lesson, request=request)
    return lesson


@transaction.atomic
def lesson_update(*, lesson: Lesson, user, data: dict[str, Any], request=None) -> list[str]:
    require_edit(user, lesson)
    data = dict(data)
    relations = {name: data.pop(name) for name in LESSON_RELATIONS if name in data}
    changed = model_update(instance=lesson, fields=LESSON_FIELDS, data=data, save=False)
    require_country(user, lesson.country)
    lesson.refresh_search_text()
    lesson.full_clean()
    lesson.save()
    changed += _set_relations(lesson, relations)
    if changed:
        audit(
            user=user, action=Action.CHANGE, obj=lesson, request=request, **changed_detail(changed)
        )
    return changed
