"""Influence's dashboard cards: the political calendar ahead, objectives at risk, messages
to review, and the objectives progress chart.

Each card's number is the count of the list it links to (same selector, same filter),
and each costs one or two queries whatever the data size.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.charts import progress_chart
from core.extensions import Card, card_rows

from .models import Objective
from .permissions import can_read
from .selectors.calendar import calendar_rows
from .selectors.messages import FLAG_LABELS, FLAG_TONES, message_flags, messages_to_review
from .selectors.objectives import objective_list, objectives_visible_to, with_progress

ROWS = 5
CALENDAR_DAYS = 30


def calendar_link(today: datetime.date) -> str:
    end = today + datetime.timedelta(days=CALENDAR_DAYS)
    return (
        reverse("influence:calendar_list")
        + "?"
        + urlencode({"du": today.isoformat(), "au": end.isoformat()})
    )


def cards(request) -> list[Card]:
    user = request.user
    if not can_read(user):
        return []
    return [_calendar_card(user), _at_risk_card(user), _messages_card(user), _progress_card(user)]


def _calendar_card(user) -> Card:
    today = timezone.localdate()
    rows = calendar_rows(user, today, today + datetime.timedelta(days=CALENDAR_DAYS))
    return Card(
        key="influence.calendar",
        title=_("Calendrier — 30 jours"),
        template="influence/cards/calendar.html",
        context={"rows": rows[:8], "more": max(0, len(rows) - 8), "today": today},
        order=30,
        width=4,
        link_url=calendar_link(today),
        link_label=_("Tout le calendrier à 30 jours"),
        count=len(rows),
    )


def _at_risk_card(user) -> Card:
    rows, count = card_rows(
        objective_list(user, at_risk=True, sort="due").prefetch_related(None), ROWS
    )
    return Card(
        key="influence.objectives_at_risk",
        title=_("Objectifs à risque"),
        template="influence/cards/at_risk.html",
        context={
            "rows": rows,
            "days": settings.INFLUENCE_AT_RISK_DAYS,
            "percent": settings.INFLUENCE_AT_RISK_PERCENT,
        },
        order=35,
        width=4,
        link_url=reverse("influence:objectives") + "?a_risque=1",
        link_label=_("Tous les objectifs à risque"),
        count=count,
    )


def _messages_card(user) -> Card:
    rows, count = card_rows(
        messages_to_review(user).order_by("valid_until", "-updated_at", "pk"), ROWS
    )
    return Card(
        key="influence.messages_to_review",
        title=_("Messages à revoir"),
        template="influence/cards/messages.html",
        context={
            "rows": [
                (m, [(f, FLAG_LABELS[f], FLAG_TONES[f]) for f in message_flags(m)]) for m in rows
            ]
        },
        order=36,
        width=4,
        link_url=reverse("influence:messages") + "?revoir=on",
        link_label=_("Tous les messages à revoir"),
        count=count,
    )


def _progress_card(user) -> Card:
    objectives = list(
        with_progress(objectives_visible_to(user).filter(status=Objective.Status.ACTIVE))
        .select_related("strategy__country")
        .order_by("-priority", "title")[:8]
    )
    chart = progress_chart(
        title=_("Progression des objectifs prioritaires"),
        description=_(
            "Part des marqueurs de progrès atteints pour les huit objectifs en cours les plus "
            "prioritaires ; en orange, ceux sous le seuil d'alerte."
        ),
        rows=[
            (
                f"{o.title} ({o.strategy.country.code if o.strategy.country_id else _('Unité')})",
                o.progress,
            )
            for o in objectives
        ],
        value_header=_("Marqueurs atteints"),
        threshold=settings.INFLUENCE_AT_RISK_PERCENT,
    )
    return Card(
        key="influence.objectives_progress",
        title=_("Progression des objectifs"),
        template="influence/cards/progress_chart.html",
        context={"chart": chart, "empty": not objectives},
        order=85,
        width=6,
        link_url=reverse("influence:objectives"),
        link_label=_("Objectifs classés par priorité"),
    )
