"""Influence's own sections of the briefing (registered in `influence/extensions.py`).

- **Political calendar** (`influence.calendar`): the two months after the period, from
  the calendar extension point (political events and every app's dated contributions).
  Internal editions flag the events with no action planned before them; a partners
  edition lists political events only (other apps' entries are internal planning).
- **Objectives** (`influence.objectives`): the objectives under way (and those reached
  during the period) with their progress, the markers reached in the period and a chart.
  A partners edition shows the unit strategy's objectives only (country strategies
  describe operations whose exposure is an operational risk).

Key figures: markers reached over the period and the previous one, objectives under way,
political events ahead.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.charts import progress_chart
from core.extensions import BriefingPart, BriefingPeriod, BriefingSection

from ..models import Objective, ProgressMarker, Strategy
from ..selectors.calendar import calendar_rows
from ..selectors.objectives import at_risk_q, objectives_visible_to, with_progress

CALENDAR_MONTHS = 2
CHART_OBJECTIVES = 10


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    return datetime.date(year, month % 12 + 1, 1)


def calendar_window(period: BriefingPeriod) -> tuple[datetime.date, datetime.date]:
    """The two months that follow the period (December and January for November)."""
    start = period.end + datetime.timedelta(days=1)
    end = add_months(start.replace(day=1), CALENDAR_MONTHS) - datetime.timedelta(days=1)
    if start.day != 1:  # a custom range: two months from the day after it
        end = start + datetime.timedelta(days=61)
    return start, end


def _calendar(period: BriefingPeriod) -> BriefingPart:
    start, end = calendar_window(period)
    internal = period.audience == "internal"
    rows = calendar_rows(period.user, start, end)
    if not internal:
        rows = [row for row in rows if row.is_political]
    months: list[tuple[str, list]] = []
    for row in rows:
        label = formats.date_format(max(row.event.start, start), "F Y")
        if not months or months[-1][0] != label:
            months.append((label, []))
        months[-1][1].append(row)
    political = sum(1 for row in rows if row.is_political)
    return BriefingPart(
        template="influence/briefing/calendar.html",
        context={
            "months": months,
            "window_start": start,
            "window_end": end,
            "internal": internal,
            "missed": sum(1 for row in rows if row.missed_window),
            "missed_days": settings.INFLUENCE_MISSED_WINDOW_DAYS,
        },
        figures=[(_("Échéances politiques à deux mois"), political, None)],
    )


def _objectives(period: BriefingPeriod) -> BriefingPart:
    internal = period.audience == "internal"
    objectives = with_progress(objectives_visible_to(period.user)).filter(
        Q(status=Objective.Status.ACTIVE)
        | Q(status=Objective.Status.ACHIEVED, updated_at__date__gte=period.start)
    )
    if not internal:
        objectives = objectives.filter(
            strategy__scope=Strategy.Scope.UNIT, strategy__status=Strategy.Status.VALIDATED
        )
    at_risk = set(objectives.filter(at_risk_q(on=period.render_date)).values_list("pk", flat=True))
    objectives = sorted(
        objectives,
        key=lambda o: (o.status != Objective.Status.ACTIVE, -(o.priority or 0), o.title),
    )
    ids = [o.pk for o in objectives]
    reached = list(
        ProgressMarker.objects.filter(
            objective_id__in=ids, reached_on__gte=period.start, reached_on__lte=period.end
        ).order_by("reached_on", "position", "pk")
    )
    by_objective: dict[int, list[ProgressMarker]] = {}
    for marker in reached:
        by_objective.setdefault(marker.objective_id, []).append(marker)
    strategies = {
        s.pk: s
        for s in Strategy.objects.filter(pk__in={o.strategy_id for o in objectives}).select_related(
            "country"
        )
    }
    rows = [
        {
            "objective": o,
            "strategy": strategies[o.strategy_id],
            "reached": by_objective.get(o.pk, []),
            "at_risk": internal and o.pk in at_risk,
        }
        for o in objectives
    ]
    chart = None
    active = [r for r in rows if r["objective"].status == Objective.Status.ACTIVE]
    if active:
        chart = progress_chart(
            title=_("Progression des objectifs"),
            description=_(
                "Part des marqueurs de progrès atteints, pour les objectifs en cours les plus "
                "prioritaires ; en orange, ceux sous le seuil d'alerte."
            ),
            rows=[
                (
                    f"{r['objective'].title} ("
                    f"{r['strategy'].country.code if r['strategy'].country_id else _('Unité')})",
                    r["objective"].progress,
                )
                for r in active[:CHART_OBJECTIVES]
            ],
            value_header=_("Marqueurs atteints"),
            threshold=settings.INFLUENCE_AT_RISK_PERCENT,
        )
    previous_start, previous_end = period.previous
    reached_before = ProgressMarker.objects.filter(
        objective_id__in=ids, reached_on__gte=previous_start, reached_on__lte=previous_end
    ).count()
    return BriefingPart(
        template="influence/briefing/objectives.html",
        context={"rows": rows, "chart": chart, "internal": internal},
        figures=[
            (_("Marqueurs de progrès atteints"), len(reached), reached_before),
            (_("Objectifs en cours"), len(active), None),
        ],
    )


CALENDAR = BriefingSection(
    key="influence.calendar",
    title=gettext_lazy("Calendrier politique des deux mois à venir"),
    build=_calendar,
    order=50,
)
OBJECTIVES = BriefingSection(
    key="influence.objectives",
    title=gettext_lazy("Objectifs et progression"),
    build=_objectives,
    order=60,
)
