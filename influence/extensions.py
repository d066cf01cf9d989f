"""What the influence app contributes: the readers' home page, the dashboard, strategies
and briefings sections, its dashboard cards, its political events on the calendar, its
header-search results, the lines-to-take and briefing PDFs, its two briefing sections
(political calendar, objectives) and its demo content."""

from django.utils.translation import gettext_lazy as _

from core.extensions import (
    HomePage,
    NavSection,
    Seeder,
    calendar_events,
    dashboard_cards,
    register,
    search_results,
)
from core.permissions import is_reader

from . import cards, demo, search
from .briefing import sections as briefing_sections
from .briefing.document import BRIEFING_DOCUMENT
from .documents import LINES_TO_TAKE_DOCUMENT
from .permissions import can_read, can_read_briefings, can_view_dashboard
from .selectors.calendar import as_calendar_events

register(
    HomePage(
        key="influence.dashboard", url_name="influence:dashboard", visible=is_reader, order=10
    ),
    # Field officers land on their testimonies (temoignages.home) but reach the dashboard,
    # which shows them the cards of their sites.
    NavSection(
        key="influence.dashboard",
        label=_("Tableau de bord"),
        url_name="influence:dashboard",
        visible=can_view_dashboard,
        order=10,
        active_for=("influence:dashboard",),
    ),
    NavSection(
        key="influence.strategies",
        label=_("Stratégies"),
        url_name="influence:strategies",
        visible=can_read,
        order=20,
        active_for=(
            "influence:strateg",
            "influence:objective",
            "influence:message",
            "influence:lines",
            "influence:calendar",
            "influence:event",
            "influence:feed",
            "influence:risk",
            "influence:marker",
            "influence:indicator",
            "influence:evidence",
            "influence:variant",
            "influence:coherence",
        ),
    ),
    NavSection(
        key="influence.briefings",
        label=_("Briefings"),
        url_name="influence:briefings",
        visible=can_read_briefings,
        order=55,
        active_for=("influence:briefing",),
    ),
    LINES_TO_TAKE_DOCUMENT,
    BRIEFING_DOCUMENT,
    briefing_sections.CALENDAR,
    briefing_sections.OBJECTIVES,
    Seeder(key="influence", seed=demo.seed, order=60),
)
dashboard_cards(cards.cards)
calendar_events(as_calendar_events)
search_results(search.search)
