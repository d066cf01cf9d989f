"""Reads of the budget: lines of a year with what their actions planned and spent, the
totals per country, the actions without a line, and the export rows. Every amount is a
`Decimal` summed by the database (never a float)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ..models import ZERO, AdvocacyAction, BudgetLine
from ..permissions import can_read

MONEY = DecimalField(max_digits=14, decimal_places=2)


def budget_lines_visible_to(user) -> QuerySet[BudgetLine]:
    if not can_read(user):
        return BudgetLine.objects.none()
    return BudgetLine.objects.select_related("country")


def _sum(field: str):
    rows = (
        AdvocacyAction.objects.filter(budget_line=OuterRef("pk"))
        .exclude(status=AdvocacyAction.Status.CANCELLED)
        .order_by()
        .values("budget_line")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=MONEY), Value(ZERO), output_field=MONEY)


def with_totals(queryset: QuerySet[BudgetLine]) -> QuerySet[BudgetLine]:
    """Annotate planned and spent (the line's actions, cancelled ones left out)."""
    return queryset.annotate(planned=_sum("budget_planned"), spent=_sum("budget_spent"))


@dataclass(frozen=True)
class LineRow:
    line: BudgetLine
    allocation: Decimal
    planned: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.allocation - self.spent

    @property
    def overspent(self) -> bool:
        return self.spent > self.allocation

    @property
    def overplanned(self) -> bool:
        return self.planned > self.allocation

    @property
    def percent(self) -> int:
        if not self.allocation:
            return 100 if self.spent else 0
        return int(self.spent * 100 / self.allocation)


@dataclass(frozen=True)
class CountryRow:
    country: str
    allocation: Decimal
    planned: Decimal
    spent: Decimal

    @property
    def overspent(self) -> bool:
        return self.spent > self.allocation


@dataclass(frozen=True)
class BudgetYear:
    year: int
    lines: list[LineRow]
    countries: list[CountryRow]
    unassigned_planned: Decimal
    unassigned_spent: Decimal
    unassigned_count: int

    @property
    def allocation(self) -> Decimal:
        return sum((row.allocation for row in self.lines), ZERO)

    @property
    def planned(self) -> Decimal:
        return sum((row.planned for row in self.lines), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((row.spent for row in self.lines), ZERO)

    @property
    def overspent(self) -> list[LineRow]:
        return [row for row in self.lines if row.overspent]


def budget_years(user) -> list[int]:
    return list(
        budget_lines_visible_to(user).order_by("-year").values_list("year", flat=True).distinct()
    )


def budget_year(user, year: int, *, unassigned: bool = True) -> BudgetYear:
    """A year's lines with their totals, per country, and (`unassigned`) the actions of
    that year with no line: one query, two with the unassigned actions."""
    from django.utils.translation import gettext as _

    lines = [
        LineRow(line, line.allocation, line.planned, line.spent)
        for line in with_totals(budget_lines_visible_to(user).filter(year=year)).order_by(
            "country__name_fr", "name"
        )
    ]
    countries: dict[str, list[Decimal]] = {}
    for row in lines:
        name = row.line.country.name if row.line.country_id else _("Toute l'unité")
        totals = countries.setdefault(name, [ZERO, ZERO, ZERO])
        totals[0] += row.allocation
        totals[1] += row.planned
        totals[2] += row.spent
    loose = {"planned": ZERO, "spent": ZERO, "n": 0}
    if unassigned:
        loose = _unassigned(year)
    return BudgetYear(
        year=year,
        lines=lines,
        countries=[CountryRow(name, *totals) for name, totals in sorted(countries.items())],
        unassigned_planned=loose["planned"],
        unassigned_spent=loose["spent"],
        unassigned_count=loose["n"],
    )


def _unassigned(year: int) -> dict:
    return (
        AdvocacyAction.objects.filter(budget_line__isnull=True)
        .exclude(status=AdvocacyAction.Status.CANCELLED)
        .filter(Q(due_on__year=year) | Q(due_on__isnull=True, created_at__year=year))
        .filter(Q(budget_planned__gt=0) | Q(budget_spent__gt=0))
        .aggregate(
            planned=Coalesce(Sum("budget_planned"), Value(ZERO), output_field=MONEY),
            spent=Coalesce(Sum("budget_spent"), Value(ZERO), output_field=MONEY),
            n=Count("pk"),
        )
    )


def line_actions(line: BudgetLine) -> QuerySet[AdvocacyAction]:
    return line.actions.select_related("country", "owner").order_by("-budget_spent", "pk")


def export_rows(user, year: int) -> list[LineRow]:
    return budget_year(user, year).lines
