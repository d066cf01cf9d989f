"""Objectives: the priority formula, the ranked list, progress and "at risk"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import Objective, ProgressMarker
from ..permissions import can_read

SCORES = ("impact", "feasibility", "urgency", "operational_risk")


def weights() -> dict[str, float]:
    return {name: float(settings.INFLUENCE_PRIORITY_WEIGHTS[name]) for name in SCORES}


def priority_of(*, impact: int, feasibility: int, urgency: int, operational_risk: int) -> float:
    """0–100: each score brought to 0–1 (risk reversed), weighted, scaled. The same
    formula as `priority_expression`, for one object (the detail page shows the sum)."""
    w = weights()
    total = sum(w.values()) or 1.0
    raw = (
        w["impact"] * (impact - 1)
        + w["feasibility"] * (feasibility - 1)
        + w["urgency"] * (urgency - 1)
        + w["operational_risk"] * (5 - operational_risk)
    )
    return round(100 * raw / (4 * total), 1)


def priority_expression() -> ExpressionWrapper:
    w = weights()
    total = sum(w.values()) or 1.0
    raw = (
        Value(w["impact"]) * (F("impact") - 1)
        + Value(w["feasibility"]) * (F("feasibility") - 1)
        + Value(w["urgency"]) * (F("urgency") - 1)
        + Value(w["operational_risk"]) * (5 - F("operational_risk"))
    )
    return ExpressionWrapper(raw * Value(100.0 / (4 * total)), output_field=FloatField())


def _marker_count(reached: bool | None = None) -> Coalesce:
    markers = ProgressMarker.objects.filter(objective=OuterRef("pk"))
    if reached is not None:
        markers = markers.filter(reached_on__isnull=not reached)
    counted = markers.order_by().values("objective").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_progress(queryset: QuerySet[Objective]) -> QuerySet[Objective]:
    """Annotate priority, markers_total, markers_reached and progress (0–100)."""
    return queryset.annotate(
        priority=priority_expression(),
        markers_total=_marker_count(),
        markers_reached=_marker_count(reached=True),
    ).annotate(
        progress=Case(
            When(markers_total=0, then=Value(0)),
            default=F("markers_reached") * 100 / F("markers_total"),
            output_field=IntegerField(),
        )
    )


def objectives_visible_to(user) -> QuerySet[Objective]:
    if not can_read(user):
        return Objective.objects.none()
    return Objective.objects.all()


SORTS = {
    "priority": ["priority", "title"],
    "-priority": ["-priority", "title"],
    "title": ["title"],
    "-title": ["-title"],
    "due": [F("due_on").asc(nulls_last=True), "title"],
    "-due": [F("due_on").desc(nulls_last=True), "title"],
    "progress": ["progress", "title"],
    "-progress": ["-progress", "title"],
}


def at_risk_q(*, on: datetime.date | None = None) -> Q:
    on = on or timezone.localdate()
    return Q(
        status=Objective.Status.ACTIVE,
        due_on__isnull=False,
        due_on__lte=on + datetime.timedelta(days=settings.INFLUENCE_AT_RISK_DAYS),
        progress__lt=settings.INFLUENCE_AT_RISK_PERCENT,
    )


def objective_list(
    user,
    *,
    strategy_id: int | None = None,
    theme_id: int | None = None,
    status: str = "",
    at_risk: bool = False,
    sort: str = "",
) -> QuerySet[Objective]:
    """The ranked list (highest priority first unless `sort` says otherwise)."""
    queryset = with_progress(objectives_visible_to(user)).select_related(
        "strategy__country", "takes_up"
    )
    if strategy_id:
        queryset = queryset.filter(strategy_id=strategy_id)
    if theme_id:
        queryset = queryset.filter(themes=theme_id)
    if status:
        queryset = queryset.filter(status=status)
    if at_risk:
        queryset = queryset.filter(at_risk_q())
    return queryset.prefetch_related("themes").order_by(*SORTS.get(sort, SORTS["-priority"]))


def objectives_at_risk(user) -> QuerySet[Objective]:
    return objective_list(user, at_risk=True, sort="due")


def objective_detail_queryset(user) -> QuerySet[Objective]:
    return with_progress(objectives_visible_to(user)).select_related(
        "strategy__country", "takes_up__strategy"
    )


def objective_markers(objective: Objective) -> list[ProgressMarker]:
    """Markers with their evidence (two queries), in level then position order."""
    order = {level: i for i, level in enumerate(ProgressMarker.Level.values)}
    from django.db.models import Prefetch

    from ..models import MarkerEvidence

    markers = list(
        objective.markers.select_related("reached_by").prefetch_related(
            Prefetch("evidence", queryset=MarkerEvidence.objects.prefetch_related("evidence"))
        )
    )
    return sorted(markers, key=lambda m: (order[m.level], m.position, m.pk))


@dataclass(frozen=True)
class PriorityTerm:
    label: str
    score: int
    weight: float
    normalised: str  # how the score enters the formula, in words


def priority_terms(objective: Objective) -> list[PriorityTerm]:
    from django.utils.translation import gettext as _

    w = weights()
    return [
        PriorityTerm(_("Impact"), objective.impact, w["impact"], _("(impact − 1) / 4")),
        PriorityTerm(
            _("Faisabilité"), objective.feasibility, w["feasibility"], _("(faisabilité − 1) / 4")
        ),
        PriorityTerm(_("Urgence"), objective.urgency, w["urgency"], _("(urgence − 1) / 4")),
        PriorityTerm(
            _("Risque opérationnel"),
            objective.operational_risk,
            w["operational_risk"],
            _("(5 − risque) / 4"),
        ),
    ]


def unit_objectives_for(strategy) -> QuerySet[Objective]:
    """What a country objective may take up: its parent strategy's objectives."""
    if strategy is None or strategy.parent_id is None:
        return Objective.objects.none()
    return Objective.objects.filter(strategy_id=strategy.parent_id).order_by("title")


def objectives_editable_by(user) -> QuerySet[Objective]:
    """Objectives of the strategies `user` may edit."""
    from core.models import Role
    from core.scoping import scope_queryset

    return scope_queryset(
        Objective.objects.select_related("strategy"),
        user,
        roles=[Role.COORDINATOR, Role.ADVOCACY_OFFICER],
        country_field="strategy__country",
    )
