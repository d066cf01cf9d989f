"""Objectives, progress markers (ticked with a date and evidence) and indicators."""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AuditEvent
from core.services import audit_record
from core.updates import model_update

from ..models import Audience, Indicator, MarkerEvidence, Objective, ProgressMarker, Strategy

OBJECTIVE_FIELDS = (
    "title",
    "description",
    "themes",
    "audiences",
    "impact",
    "feasibility",
    "urgency",
    "operational_risk",
    "due_on",
    "status",
    "takes_up",
)
MARKER_FIELDS = ("level", "text", "position")
INDICATOR_FIELDS = ("name", "unit", "baseline", "target", "current", "measured_on")


def _check_objective(objective: Objective) -> None:
    unknown = set(objective.audiences or []) - set(Audience.values)
    if unknown:
        raise ValidationError({"audiences": _("Public inconnu : %s.") % ", ".join(sorted(unknown))})
    if objective.takes_up_id:
        parent_id = objective.strategy.parent_id
        if parent_id is None or objective.takes_up.strategy_id != parent_id:
            raise ValidationError(
                {
                    "takes_up": _(
                        "Un objectif pays ne peut reprendre qu'un objectif de la stratégie "
                        "de l'unité."
                    )
                }
            )


@transaction.atomic
def objective_create(*, strategy: Strategy, user, data: dict[str, Any]) -> Objective:
    objective = Objective(strategy=strategy)
    data = dict(data)
    themes = data.pop("themes", None)
    model_update(instance=objective, fields=OBJECTIVE_FIELDS, data=data, save=False)
    _check_objective(objective)
    objective.full_clean()
    objective.save()
    if themes is not None:
        objective.themes.set(themes)
    audit_record(actor=user, action=AuditEvent.Action.CREATE, obj=objective)
    return objective


@transaction.atomic
def objective_update(*, objective: Objective, user, data: dict[str, Any]) -> list[str]:
    data = dict(data)
    themes = data.pop("themes", None)
    changed = model_update(instance=objective, fields=OBJECTIVE_FIELDS, data=data, save=False)
    _check_objective(objective)
    objective.full_clean()
    objective.save()
    if themes is not None:
        before = set(objective.themes.values_list("pk", flat=True))
        if before != {t.pk for t in themes}:
            objective.themes.set(themes)
            changed.append("themes")
    if changed:
        audit_record(
            actor=user,
            action=AuditEvent.Action.CHANGE,
            obj=objective,
            detail={"fields": ",".join(sorted(changed))},
        )
    return changed


@transaction.atomic
def objective_delete(*, objective: Objective, user) -> None:
    audit_record(actor=user, action=AuditEvent.Action.DELETE, obj=objective)
    objective.delete()


@transaction.atomic
def marker_create(*, objective: Objective, user, data: dict[str, Any]) -> ProgressMarker:
    marker = ProgressMarker(objective=objective)
    model_update(instance=marker, fields=MARKER_FIELDS, data=data)
    audit_record(actor=user, action=AuditEvent.Action.CREATE, obj=marker)
    return marker


@transaction.atomic
def marker_delete(*, marker: ProgressMarker, user) -> None:
    audit_record(actor=user, action=AuditEvent.Action.DELETE, obj=marker)
    marker.delete()


def evidence_models() -> dict[str, type]:
    """The models allowed as evidence ("app_label.model" → class), from the settings."""
    found = {}
    for label in settings.INFLUENCE_EVIDENCE_MODELS:
        try:
            found[label.lower()] = apps.get_model(label)
        except (LookupError, ValueError):
            continue
    return found


def parse_evidence_ref(ref: str) -> tuple[type, int] | None:
    """ "veille.item:42" → (Item, 42) when the model is allowed as evidence."""
    label, _sep, pk = (ref or "").partition(":")
    model = evidence_models().get(label.lower())
    if model is None or not pk.isdigit():
        return None
    return model, int(pk)


@transaction.atomic
def marker_tick(
    *,
    marker: ProgressMarker,
    user,
    reached_on: datetime.date,
    note: str = "",
    evidence: list[tuple[str, str, str]] = (),
) -> ProgressMarker:
    """Mark as reached on `reached_on`, with evidence: (ref, label, kind label) tuples the
    caller took from what the user may see (the header search providers)."""
    if reached_on > timezone.localdate():
        raise ValidationError({"reached_on": _("La date ne peut pas être dans le futur.")})
    marker.reached_on = reached_on
    marker.reached_by = user
    marker.note = (note or "").strip()
    marker.full_clean()
    marker.save()
    for ref, label, kind_label in evidence:
        parsed = parse_evidence_ref(ref)
        if parsed is None:
            raise ValidationError({"evidence": _("Cette preuve n'est pas d'un type accepté.")})
        model, pk = parsed
        MarkerEvidence.objects.get_or_create(
            marker=marker,
            content_type=ContentType.objects.get_for_model(model),
            object_id=pk,
            defaults={"label": label[:300], "kind_label": kind_label[:80], "added_by": user},
        )
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=marker,
        detail={"reached": True, "evidence": len(evidence)},
    )
    return marker


@transaction.atomic
def marker_untick(*, marker: ProgressMarker, user) -> ProgressMarker:
    marker.reached_on = None
    marker.reached_by = None
    marker.save(update_fields=["reached_on", "reached_by"])
    audit_record(actor=user, action=AuditEvent.Action.CHANGE, obj=marker, detail={"reached": False})
    return marker


@transaction.atomic
def evidence_remove(*, evidence: MarkerEvidence, user) -> None:
    audit_record(actor=user, action=AuditEvent.Action.DELETE, obj=evidence)
    evidence.delete()


@transaction.atomic
def indicator_create(*, objective: Objective, user, data: dict[str, Any]) -> Indicator:
    indicator = Indicator(objective=objective)
    model_update(instance=indicator, fields=INDICATOR_FIELDS, data=data)
    audit_record(actor=user, action=AuditEvent.Action.CREATE, obj=indicator)
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, user, data: dict[str, Any]) -> list[str]:
    changed = model_update(instance=indicator, fields=INDICATOR_FIELDS, data=data)
    if changed:
        audit_record(
            actor=user,
            action=AuditEvent.Action.CHANGE,
            obj=indicator,
            detail={"fields": ",".join(changed)},
        )
    return changed


@transaction.atomic
def indicator_delete(*, indicator: Indicator, user) -> None:
    audit_record(actor=user, action=AuditEvent.Action.DELETE, obj=indicator)
    indicator.delete()
