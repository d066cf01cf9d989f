"""Plaidoyer's dashboard cards: actions due this week (overdue included), overdue
follow-ups, actions whose testimony lost its consent, outcomes this quarter, and budget
consumption. Each number is the count of the list it links to (same selector, same
filter) and each card costs one or a few queries whatever the data size."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Case, Sum, When, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.charts import progress_chart
from core.extensions import Card, card_rows
from core.memo import remember

from . import selectors
from .permissions import can_read

ROWS = 5


def cards(request) -> list[Card]:
    user = request.user
    if not can_read(user):
        return []
    found = [_due_card(user), _follow_ups_card(user), _outcomes_card(user), _budget_card(user)]
    consent = _consent_card(user)
    if consent is not None:
        found.append(consent)
    return found


def _due_card(user) -> Card:
    rows, count = card_rows(
        selectors.actions_visible_to(user).filter(selectors.due_q("week")).order_by("due_on", "pk"),
        ROWS,
    )
    return Card(
        key="plaidoyer.actions_due",
        title=_("Actions à rendre cette semaine"),
        template="plaidoyer/cards/actions_due.html",
        context={"rows": rows, "count": count, "today": timezone.localdate()},
        order=35,
        width=4,
        link_url=reverse("plaidoyer:actions") + "?due=week",
        link_label=_("Toutes les actions dues et en retard"),
        count=count,
    )


def _follow_ups_card(user) -> Card:
    own = Window(Sum(Case(When(owner=user, then=1), default=0)))
    rows, count = card_rows(
        selectors.overdue_follow_ups(user).annotate(own=own).order_by("due_on", "pk"), ROWS
    )
    # The navigation badge (the user's own overdue follow-ups) is part of this list.
    remember(user, selectors.OWN_OVERDUE, rows[0].own if rows else 0)
    return Card(
        key="plaidoyer.follow_ups_overdue",
        title=_("Suites à donner en retard"),
        template="plaidoyer/cards/follow_ups.html",
        context={"rows": rows, "count": count},
        order=36,
        width=4,
        link_url=reverse("plaidoyer:follow_ups") + "?state=overdue",
        link_label=_("Toutes les suites en retard"),
        count=count,
    )


def _consent_card(user) -> Card | None:
    rows, count = card_rows(
        selectors.actions_with_lapsed_consent(user).order_by("due_on", "pk"), ROWS
    )
    if not count:
        return None
    return Card(
        key="plaidoyer.consent_lapsed",
        title=_("Actions à reprendre : consentement retiré ou expiré"),
        template="plaidoyer/cards/consent.html",
        context={"rows": rows, "count": count},
        order=37,
        width=4,
        link_url=reverse("plaidoyer:actions") + "?consent=on",
        link_label=_("Toutes les actions concernées"),
        count=count,
    )


def _outcomes_card(user) -> Card:
    start = selectors.quarter_start()
    rows, count = card_rows(
        selectors.outcomes_visible_to(user)
        .filter(occurred_on__gte=start)
        .order_by("-occurred_on", "-pk"),
        ROWS,
    )
    return Card(
        key="plaidoyer.outcomes_quarter",
        title=_("Résultats du trimestre"),
        template="plaidoyer/cards/outcomes.html",
        context={"rows": rows, "count": count, "start": start},
        order=75,
        width=4,
        link_url=reverse("plaidoyer:outcomes") + "?" + urlencode({"after": start.isoformat()}),
        link_label=_("Tous les résultats du trimestre"),
        count=count,
    )


def _budget_card(user) -> Card:
    year = timezone.localdate().year
    summary = selectors.budget_year(user, year, unassigned=False)
    chart = None
    if summary.lines:
        chart = progress_chart(
            title=_("Consommation du budget %(year)s") % {"year": year},
            description=_(
                "Part de l'allocation de chaque ligne déjà dépensée par ses actions ; une ligne "
                "à 100 % a tout dépensé, au-delà elle dépasse."
            ),
            rows=[(row.line.name, float(row.percent)) for row in summary.lines[:8]],
            value_header=_("Dépensé"),
        )
    return Card(
        key="plaidoyer.budget",
        title=_("Budget de l'influence %(year)s") % {"year": year},
        template="plaidoyer/cards/budget.html",
        context={"summary": summary, "chart": chart},
        order=85,
        width=6,
        link_url=reverse("plaidoyer:budget") + f"?year={year}",
        link_label=_("Le budget en détail"),
    )
