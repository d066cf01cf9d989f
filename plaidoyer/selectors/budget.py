"""Reads of the budget: lines of a year with what their actions planned and spent, the
totals per country, and the export rows. Decimal arithmetic throughout."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import BudgetLine
from ..permissions import can_read


def budget_lines_visible_to(user) -> QuerySet[BudgetLine]:
    if not can_read(user):
        return BudgetLine.objects.none()
    return BudgetLine.objects.select_related("country")
