"""The coordinator dashboard is assembled from cards that each app provides.

An app exposes `<app>.dashboard.cards(request) -> list[Card]`; each card is scoped to the
user and costs a constant number of queries. The dashboard shows them by `order`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string

CARD_PROVIDERS = (
    "influence.dashboard.core_cards",
    "veille.dashboard.cards",
    "temoignages.dashboard.cards",
    "temoignages.objectives_dashboard.cards",
)


@dataclass
class Card:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
    # Bootstrap column width on large screens (out of 12).
    width: int = 4
    link_url: str = ""
    link_label: str = ""


def dashboard_cards(request) -> list[Card]:
    cards: list[Card] = []
    for path in CARD_PROVIDERS:
        try:
            provider = import_string(path)
        except ImportError:
            continue
        cards.extend(provider(request))
    return sorted(cards, key=lambda c: c.order)


def core_cards(request) -> list[Card]:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.selectors import sites_list

    return [
        Card(
            title=_("Sites et statut"),
            template="influence/cards/sites.html",
            context={"sites": list(sites_list())},
            order=900,
            width=6,
            link_url=reverse("admin:core_site_changelist") if request.user.is_staff else "",
            link_label=_("Gérer les sites"),
        ),
    ]
