"""What the plaidoyer app contributes to the others: its navigation section (the badge:
the user's own overdue follow-ups), dashboard cards (`cards.py`), calendar events
(`calendar.py`), three briefing sections (`briefing.py`), header-search results
(`search.py`), "cited by" entries on veille articles and testimonies, and demo content.

Field officers see none of it: every contribution starts from `permissions.can_read`.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.extensions import (
    Citation,
    NavSection,
    Seeder,
    calendar_events,
    citations,
    dashboard_cards,
    register,
    search_results,
)
from temoignages.models import Testimony
from veille.models import Item

from . import briefing, calendar, cards, demo, search, selectors
from .permissions import can_read

CITATION_ROWS = 20

register(
    NavSection(
        key="plaidoyer",
        label=gettext_lazy("Plaidoyer"),
        url_name="plaidoyer:index",
        visible=can_read,
        order=40,
        badge=selectors.nav_badge,
        badge_label=gettext_lazy("suites à donner en retard"),
    ),
    briefing.ACTIONS,
    briefing.OUTCOMES,
    briefing.COALITIONS,
    Seeder(key="plaidoyer", seed=demo.seed, order=70),
)
dashboard_cards(cards.cards)
calendar_events(calendar.events)
search_results(search.search)


def _cited_by(actions) -> list[Citation]:
    return [
        Citation(
            kind=_("Action de plaidoyer"),
            title=action.title,
            url=reverse("plaidoyer:action_detail", args=[action.pk]),
            when=action.due_on,
            status=action.get_status_display(),
        )
        for action in actions[:CITATION_ROWS]
    ]


@citations(Item)
def actions_citing_item(item, user) -> list[Citation]:
    """The advocacy actions citing a veille article, for those who may read them."""
    return _cited_by(selectors.actions_citing_item(item, user))


@citations(Testimony)
def actions_citing_testimony(testimony, user) -> list[Citation]:
    """The advocacy actions using a testimony as evidence, for those who may read them."""
    return _cited_by(selectors.actions_citing_testimony(testimony, user))
