"""Veille cards of the coordinator dashboard: inbox, alerts, failing sources, notes.

Each card costs a constant number of queries (a count and a short list at most).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.extensions import Card

from .models import Alert, Item, Source, TriageStatus
from .permissions import can_read, can_write_notes
from .selectors import notes_visible_to

CARD_LIMIT = 5


def cards(request) -> list[Card]:
    user = request.user
    if not can_read(user):
        return []
    return [_inbox_card(), _alerts_card(user), _failing_sources_card(), _notes_card(user)]


def _inbox_card() -> Card:
    new_stories = Item.objects.filter(status=TriageStatus.NEW, is_cluster_lead=True)
    latest = list(
        new_stories.select_related("source", "cluster")
        .only(
            "pk",
            "title",
            "language",
            "published_at",
            "importance",
            "source__name",
            "cluster__source_count",
        )
        .order_by("-published_at", "-id")[:CARD_LIMIT]
    )
    return Card(
        title=_("Veille : sujets à trier"),
        template="veille/cards/inbox.html",
        context={"count": new_stories.count(), "items": latest},
        order=10,
        width=6,
        link_url=reverse("veille:inbox"),
        link_label=_("Ouvrir la boîte de réception"),
    )


def _alerts_card(user) -> Card:
    unread = Alert.objects.filter(user=user, read_at__isnull=True)
    latest = list(
        unread.select_related("rule", "item")
        .only("pk", "created_at", "rule__name", "item__id", "item__title", "item__language")
        .order_by("-created_at", "-id")[:CARD_LIMIT]
    )
    return Card(
        title=_("Alertes de veille"),
        template="veille/cards/alerts.html",
        context={"count": unread.count(), "alerts": latest},
        order=20,
        width=6,
        link_url=reverse("veille:alerts"),
        link_label=_("Voir les alertes"),
    )


def _failing_sources_card() -> Card:
    failing = Source.objects.failing()
    worst = list(
        failing.only(
            "pk", "name", "consecutive_failures", "last_error_code", "last_status"
        ).order_by("-consecutive_failures", "name")[:CARD_LIMIT]
    )
    return Card(
        title=_("Sources en échec"),
        template="veille/cards/failing_sources.html",
        context={"count": failing.count(), "sources": worst},
        order=60,
        width=6,
        link_url=reverse("veille:source_health"),
        link_label=_("Santé des sources"),
    )


def _notes_card(user) -> Card:
    notes = list(
        notes_visible_to(user)
        .select_related("author")
        .only("pk", "title", "status", "updated_at", "author__username", "author__first_name",
              "author__last_name")
        .order_by("-updated_at", "-id")[:CARD_LIMIT]
    )  # fmt: skip
    return Card(
        title=_("Notes d'analyse récentes"),
        template="veille/cards/notes.html",
        context={"notes": notes, "can_write": can_write_notes(user)},
        order=70,
        width=6,
        link_url=reverse("veille:notes"),
        link_label=_("Toutes les notes"),
    )
