"""Plaidoyer's sections of the monthly briefing (registered in `extensions.py`).

- **Actions** (`plaidoyer.actions`): the actions completed during the period and those
  due in the two months after it, with a chart of completed actions by kind. A partners
  edition leaves out private meetings (their existence is itself sensitive), owners and
  budgets.
- **Outcomes and lessons** (`plaidoyer.outcomes`): the changes harvested during the period
  with the unit's contribution; lessons learned are internal only.
- **Coalitions** (`plaidoyer.coalitions`): joint statements published during the period;
  the internal edition adds those awaiting signatures with who has not answered.

Every section reads what the edition's user may read (or, for a scheduled render with
nobody to answer for it, what every reader of the unit may: none of it is confidential).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.charts import bar_chart
from core.extensions import BriefingPart, BriefingPeriod, BriefingSection

from . import selectors
from .models import (
    AdvocacyAction,
    JointStatement,
    Lesson,
    Outcome,
    StatementSignature,
)

AHEAD_DAYS = 61
PRIVATE_KINDS = (AdvocacyAction.Kind.PRIVATE_MEETING,)


def _actions(period: BriefingPeriod):
    if period.user is None:
        return AdvocacyAction.objects.select_related("country", "owner")
    return selectors.actions_visible_to(period.user)


def _actions_section(period: BriefingPeriod) -> BriefingPart:
    internal = period.audience == "internal"
    actions = _actions(period).prefetch_related("themes")
    if not internal:
        actions = actions.exclude(kind__in=PRIVATE_KINDS)
    done = list(
        actions.filter(status="done", done_on__gte=period.start, done_on__lte=period.end).order_by(
            "done_on", "pk"
        )
    )
    ahead_end = period.end + datetime.timedelta(days=AHEAD_DAYS)
    coming = list(
        actions.filter(
            status__in=["planned", "in_progress"], due_on__gt=period.end, due_on__lte=ahead_end
        ).order_by("due_on", "pk")
    )
    previous_start, previous_end = period.previous
    done_before = actions.filter(
        status="done", done_on__gte=previous_start, done_on__lte=previous_end
    ).count()
    by_kind: dict[str, int] = {}
    for action in done:
        label = action.get_kind_display()
        by_kind[label] = by_kind.get(label, 0) + 1
    chart = None
    if by_kind:
        labels = sorted(by_kind, key=lambda k: (-by_kind[k], k))
        chart = bar_chart(
            title=_("Actions terminées par type"),
            description=_("Nombre d'actions de plaidoyer terminées sur la période, par type."),
            labels=labels,
            values=[by_kind[k] for k in labels],
            value_header=_("Actions"),
        )
    return BriefingPart(
        template="plaidoyer/briefing/actions.html",
        context={"done": done, "coming": coming, "chart": chart, "internal": internal},
        figures=[
            (_("Actions de plaidoyer terminées"), len(done), done_before),
            (_("Actions prévues dans les deux mois"), len(coming), None),
        ],
    )


def _outcomes_section(period: BriefingPeriod) -> BriefingPart:
    internal = period.audience == "internal"
    outcomes = (
        Outcome.objects.select_related("country")
        if period.user is None
        else selectors.outcomes_visible_to(period.user)
    )
    harvested = list(
        outcomes.filter(occurred_on__gte=period.start, occurred_on__lte=period.end)
        .prefetch_related("actions")
        .order_by("occurred_on", "pk")
    )
    previous_start, previous_end = period.previous
    before = outcomes.filter(occurred_on__gte=previous_start, occurred_on__lte=previous_end).count()
    lessons = []
    if internal:
        lessons_qs = (
            Lesson.objects.all()
            if period.user is None
            else selectors.lessons_visible_to(period.user)
        )
        lessons = list(
            lessons_qs.filter(created_at__date__gte=period.start, created_at__date__lte=period.end)
            .select_related("country")
            .order_by("created_at", "pk")
        )
    return BriefingPart(
        template="plaidoyer/briefing/outcomes.html",
        context={"outcomes": harvested, "lessons": lessons, "internal": internal},
        figures=[(_("Résultats obtenus"), len(harvested), before)],
    )


def _coalitions_section(period: BriefingPeriod) -> BriefingPart | None:
    internal = period.audience == "internal"
    statements = (
        JointStatement.objects.select_related("coalition")
        if period.user is None
        else selectors.statements_visible_to(period.user)
    )
    condition = Q(status="published", published_on__gte=period.start, published_on__lte=period.end)
    if internal:
        condition |= Q(status="sign_off")
    rows = list(
        statements.filter(condition)
        .annotate(
            signed=Count("signatures", filter=Q(signatures__status="signed")),
            waiting=Count("signatures", filter=Q(signatures__status="invited")),
        )
        .prefetch_related(
            Prefetch(
                "signatures",
                queryset=StatementSignature.objects.select_related("organisation").order_by(
                    "organisation__name"
                ),
            )
        )
        .order_by("status", "deadline", "pk")
    )
    published = [s for s in rows if s.status == "published"]
    return BriefingPart(
        template="plaidoyer/briefing/coalitions.html",
        context={
            "published": published,
            "open": [s for s in rows if s.status == "sign_off"],
            "internal": internal,
        },
        figures=[(_("Déclarations communes publiées"), len(published), None)],
    )


ACTIONS = BriefingSection(
    key="plaidoyer.actions",
    title=gettext_lazy("Actions de plaidoyer"),
    build=_actions_section,
    order=45,
)
OUTCOMES = BriefingSection(
    key="plaidoyer.outcomes",
    title=gettext_lazy("Résultats et leçons du plaidoyer"),
    build=_outcomes_section,
    order=46,
)
COALITIONS = BriefingSection(
    key="plaidoyer.coalitions",
    title=gettext_lazy("Coalitions et déclarations communes"),
    build=_coalitions_section,
    order=47,
)
