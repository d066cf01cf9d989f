"""What témoignages contributes to the other apps: the field officers' home page, its
navigation section and badge, dashboard cards and demo content."""

from django.utils.translation import gettext_lazy as _

from core.extensions import HomePage, NavSection, Seeder, dashboard_cards, register
from core.permissions import EVERYONE, FIELD, role_predicate

from . import dashboard, demo, objectives_dashboard, selectors

register(
    HomePage(
        key="temoignages.home",
        url_name="temoignages:home",
        visible=role_predicate(FIELD),
        order=20,
    ),
    NavSection(
        key="temoignages",
        label=_("Témoignages"),
        url_name="temoignages:home",
        visible=role_predicate(EVERYONE),
        order=50,
        badge=selectors.nav_badge,
        badge_label=_("à traiter"),
    ),
    Seeder(key="temoignages", seed=demo.seed, order=50),
)
dashboard_cards(dashboard.cards)
dashboard_cards(objectives_dashboard.cards)
