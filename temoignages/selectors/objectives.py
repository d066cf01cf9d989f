"""Reads of collection objectives and their progress.

A testimony counts towards an objective when it was **sent to review** — status
submitted, in review or approved — has the objective's theme, was collected within the
period (bounds included) at the objective's site or at a site of its country. Drafts are
not counted (not yet collected in full), nor are testimonies sent back for correction
(they count again once resubmitted), withdrawn or archived ones (they can no longer
serve). Approved ones are also counted apart, so the bar shows what is already usable.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.http import QueryDict
from django.utils import timezone

from core.models import Role
from core.scoping import countries_in_scope, get_scope, scope_filter, sites_in_scope

from ..models import CollectionObjective, Testimony

# Who sees collection objectives (see `objectives_visible_to`).
OBJECTIVE_READERS = (Role.COORDINATOR, Role.ADVOCACY_OFFICER, Role.FIELD_COMMS)

COUNTED_STATUSES = (
    Testimony.Status.SUBMITTED,
    Testimony.Status.IN_REVIEW,
    Testimony.Status.APPROVED,
)


def _progress_subquery(*statuses: str) -> Subquery:
    matching = (
        Testimony.objects.filter(
            status__in=statuses,
            themes=OuterRef("theme_id"),
            collected_on__gte=OuterRef("period_start"),
            collected_on__lte=OuterRef("period_end"),
        )
        .filter(Q(site_id=OuterRef("site_id")) | Q(site__country_id=OuterRef("country_id")))
        .order_by()
        .annotate(group=Value(1))
        .values("group")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(matching, output_field=IntegerField()), 0)


def objectives_with_progress(queryset: QuerySet | None = None) -> QuerySet[CollectionObjective]:
    """Objectives annotated with `collected` and `approved` counts and `ratio`, in the
    same single query (see the module docstring for what counts)."""
    queryset = CollectionObjective.objects.all() if queryset is None else queryset
    return queryset.select_related("theme", "site__country", "country").annotate(
        collected=_progress_subquery(*COUNTED_STATUSES),
        approved=_progress_subquery(Testimony.Status.APPROVED),
        ratio=Cast(F("collected"), FloatField()) / Cast(F("target_count"), FloatField()),
    )


def with_progress(objectives: list[CollectionObjective]) -> list[CollectionObjective]:
    """Set `collected`, `approved` and `ratio` on already-fetched objectives, in one
    grouped query for all of them (the same rule as `objectives_with_progress`).

    The correlated subqueries of `objectives_with_progress` read each objective's
    testimonies two or three times (the ratio repeats the count); on cards that rank every
    running objective by progress, one pass over the matching testimonies is ~7× faster.
    """
    from django.db import connection

    objectives = list(objectives)
    if not objectives:
        return objectives
    through = Testimony.themes.through._meta.db_table
    testimony = Testimony._meta.db_table
    objective = CollectionObjective._meta.db_table
    site = Testimony._meta.get_field("site").related_model._meta.db_table
    ids = [o.pk for o in objectives]
    statuses = [str(s) for s in COUNTED_STATUSES]
    sql = f"""
        SELECT o.id,
               COUNT(DISTINCT t.id),
               COUNT(DISTINCT CASE WHEN t.status = %s THEN t.id END)
        FROM {objective} o
        JOIN {through} tt ON tt.theme_id = o.theme_id
        JOIN {testimony} t ON t.id = tt.testimony_id
        JOIN {site} s ON s.id = t.site_id
        WHERE o.id IN ({", ".join(["%s"] * len(ids))})
          AND t.status IN ({", ".join(["%s"] * len(statuses))})
          AND t.collected_on >= o.period_start AND t.collected_on <= o.period_end
          AND (t.site_id = o.site_id OR s.country_id = o.country_id)
        GROUP BY o.id
    """  # noqa: S608 - table names from the models' metadata, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [str(Testimony.Status.APPROVED), *ids, *statuses])
        counts = {pk: (collected, approved) for pk, collected, approved in cursor.fetchall()}
    for o in objectives:
        o.collected, o.approved = counts.get(o.pk, (0, 0))
        o.ratio = o.collected / o.target_count if o.target_count else 0.0
    return objectives


def objectives_period_filter(
    queryset: QuerySet, period: str, *, on: datetime.date | None = None
) -> QuerySet:
    on = on or timezone.localdate()
    if period == "current":
        return queryset.filter(period_start__lte=on, period_end__gte=on)
    if period == "upcoming":
        return queryset.filter(period_start__gt=on)
    if period == "past":
        return queryset.filter(period_end__lt=on)
    return queryset


def objectives_visible_to(user) -> QuerySet[CollectionObjective]:
    """Coordinators: all. Advocacy officers: their country's. Field officers: their
    sites' and their sites' countries'. Everyone else: none."""
    scope = get_scope(user)
    if scope.is_unit_wide(Role.COORDINATOR, Role.ADVOCACY_OFFICER, Role.FIELD_COMMS):
        return CollectionObjective.objects.all()
    condition = Q(pk__in=[])
    country = scope_filter(
        user, roles=[Role.ADVOCACY_OFFICER], site_field="site", country_field="country"
    )
    if country is not None:
        condition |= country
    site_ids = scope.site_ids(Role.FIELD_COMMS)
    if site_ids:
        condition |= Q(site_id__in=site_ids) | Q(country__sites__in=site_ids)
    return CollectionObjective.objects.filter(condition).distinct()


def objectives_filterset(*, user, data):
    """Objectives with their progress, filtered (`period`: current by default, `theme`,
    `site`, `country`) and sorted (`sort`): one query for the rows."""
    from ..filters import ObjectiveFilter

    return ObjectiveFilter(
        data=data if data is not None else QueryDict(),
        queryset=objectives_with_progress(objectives_visible_to(user)),
        sites=sites_in_scope(user, roles=OBJECTIVE_READERS),
        countries=countries_in_scope(user, roles=OBJECTIVE_READERS),
    )


@dataclass(frozen=True)
class Progress:
    """What a progress bar shows for one objective (widths in percent, capped at 100)."""

    collected: int
    approved: int
    target: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.collected / self.target)) if self.target else 0

    @property
    def approved_percent(self) -> int:
        return min(100, round(100 * self.approved / self.target)) if self.target else 0

    @property
    def pending_percent(self) -> int:
        return max(0, self.percent - self.approved_percent)

    @property
    def reached(self) -> bool:
        return self.collected >= self.target

    @property
    def remaining(self) -> int:
        return max(0, self.target - self.collected)


def progress_of(objective: CollectionObjective) -> Progress:
    return Progress(
        collected=getattr(objective, "collected", 0) or 0,
        approved=getattr(objective, "approved", 0) or 0,
        target=objective.target_count,
    )


def objectives_by_site(objectives: list[CollectionObjective]):
    """[(place, [objectives])] grouped by site, then country-wide objectives by country."""
    groups: dict[tuple, list] = {}
    for objective in objectives:
        if objective.site_id:
            key = (0, objective.site.country.name, objective.site.name, "site", objective.site)
        else:
            key = (1, objective.country.name, "", "country", objective.country)
        groups.setdefault(key, []).append(objective)
    return [
        {"kind": key[3], "place": key[4], "objectives": items}
        for key, items in sorted(groups.items(), key=lambda kv: kv[0][:3])
    ]
