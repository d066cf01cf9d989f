"""What veille contributes to the other apps: its navigation section and badge, dashboard
cards, demo content and the analysis-note PDF."""

from django.utils.translation import gettext_lazy as _

from core.extensions import NavSection, Seeder, dashboard_cards, register
from core.permissions import is_reader

from . import dashboard, demo, selectors

register(
    NavSection(
        key="veille",
        label=_("Veille"),
        url_name="veille:inbox",
        visible=is_reader,
        order=30,
        badge=selectors.nav_badge,
        badge_label=_("nouvelles alertes"),
    ),
    Seeder(key="veille", seed=demo.seed, order=20),
)
dashboard_cards(dashboard.cards)
