"""Strategies: the unit's common thread, the country strategies, the side-by-side view."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from ..models import Objective, OperationalRisk, Strategy
from ..permissions import can_read


def strategies_visible_to(user) -> QuerySet[Strategy]:
    """Strategies are unit-wide desk work: every reader sees them, nobody else."""
    if not can_read(user):
        return Strategy.objects.none()
    return Strategy.objects.select_related("country", "parent", "validated_by")


def strategy_list(user, *, sort: str = "") -> QuerySet[Strategy]:
    orders = {
        "title": ["title"],
        "-title": ["-title"],
        "period": ["period_start", "title"],
        "-period": ["-period_start", "title"],
        "status": ["status", "title"],
        "-status": ["-status", "title"],
    }
    return strategies_visible_to(user).order_by(
        *orders.get(sort, ["scope", "country__name_fr", "-period_start"])
    )


def current_unit_strategy(user) -> Strategy | None:
    """The unit strategy in force: validated first, then the newest draft."""
    units = strategies_visible_to(user).filter(scope=Strategy.Scope.UNIT)
    return (
        units.exclude(status=Strategy.Status.ARCHIVED).order_by("-status", "-period_start").first()
        or units.order_by("-period_start").first()
    )


def strategy_risks(strategy: Strategy) -> QuerySet[OperationalRisk]:
    return strategy.risks.all()


@dataclass
class SideBySideCell:
    objective: Objective | None  # the country's objective taking up the unit one

    @property
    def taken_up(self) -> bool:
        return self.objective is not None


@dataclass
class SideBySideColumn:
    strategy: Strategy
    risks: list[OperationalRisk]
    own: list[Objective] = field(default_factory=list)  # country-only objectives


@dataclass
class SideBySide:
    unit: Strategy
    columns: list[SideBySideColumn]
    rows: list[tuple[Objective, list[SideBySideCell]]]


def side_by_side(user, unit: Strategy) -> SideBySide:
    """Rows: the unit's objectives. Columns: its country strategies (not archived).

    Three queries whatever the size: the children with their risks, then every
    objective of the unit and its children.
    """
    children = list(
        strategies_visible_to(user)
        .filter(parent=unit)
        .exclude(status=Strategy.Status.ARCHIVED)
        .prefetch_related(
            Prefetch("risks", queryset=OperationalRisk.objects.order_by("-likelihood", "-impact"))
        )
        .order_by("under_study", "country__name_fr")
    )
    objectives = list(
        Objective.objects.filter(strategy__in=[unit, *children])
        .exclude(status=Objective.Status.DROPPED)
        .order_by("title", "pk")
    )
    unit_objectives = [o for o in objectives if o.strategy_id == unit.pk]
    columns = {c.pk: SideBySideColumn(strategy=c, risks=list(c.risks.all())) for c in children}
    taken: dict[tuple[int, int], Objective] = {}
    for objective in objectives:
        if objective.strategy_id == unit.pk:
            continue
        if objective.takes_up_id:
            taken.setdefault((objective.takes_up_id, objective.strategy_id), objective)
        else:
            columns[objective.strategy_id].own.append(objective)
    rows = [
        (
            unit_objective,
            [SideBySideCell(taken.get((unit_objective.pk, child.pk))) for child in children],
        )
        for unit_objective in unit_objectives
    ]
    return SideBySide(unit=unit, columns=list(columns.values()), rows=rows)


def strategies_editable_by(user) -> QuerySet[Strategy]:
    """Coordinators: every strategy. Advocacy officers: their countries' strategies."""
    from core.models import Role
    from core.scoping import scope_queryset

    return scope_queryset(
        strategies_visible_to(user),
        user,
        roles=[Role.COORDINATOR, Role.ADVOCACY_OFFICER],
        country_field="country",
    )
