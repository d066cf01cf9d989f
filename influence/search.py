"""Influence's results in the header search: strategies, objectives, messages, events."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from core.extensions import SearchResult

from .permissions import can_read
from .selectors.calendar import events_visible_to
from .selectors.messages import messages_visible_to
from .selectors.objectives import objectives_visible_to
from .selectors.strategies import strategies_visible_to


def search(user, query: str, limit: int) -> list[SearchResult]:
    query = (query or "").strip()
    if not query or not can_read(user):
        return []
    from django.urls import reverse

    results = [
        SearchResult(
            kind=_("Stratégies"),
            title=s.title,
            url=reverse("influence:strategy_detail", args=[s.pk]),
            snippet=s.get_status_display(),
            when=s.period_start,
            ref=f"influence.strategy:{s.pk}",
        )
        for s in strategies_visible_to(user)
        .filter(Q(title__icontains=query) | Q(common_thread__icontains=query))
        .order_by("-period_start")[:limit]
    ]
    results += [
        SearchResult(
            kind=_("Objectifs"),
            title=o.title,
            url=o.get_absolute_url(),
            snippet=o.strategy.title,
            ref=f"influence.objective:{o.pk}",
        )
        for o in objectives_visible_to(user)
        .select_related("strategy")
        .filter(Q(title__icontains=query) | Q(description__icontains=query))
        .order_by("title")[:limit]
    ]
    results += [
        SearchResult(
            kind=_("Messages clés"),
            title=m.first_line,
            url=m.get_absolute_url(),
            snippet=" · ".join(
                (
                    m.theme.name,
                    m.country.name if m.country_id else _("Unité"),
                    m.get_status_display(),
                )
            ),
            when=m.updated_at,
            ref=f"influence.keymessage:{m.pk}",
        )
        for m in messages_visible_to(user)
        .filter(text__icontains=query)
        .order_by("-updated_at")[:limit]
    ]
    results += [
        SearchResult(
            kind=_("Calendrier politique"),
            title=e.title,
            url=e.get_absolute_url(),
            snippet=e.get_kind_display(),
            when=e.start,
            ref=f"influence.politicalevent:{e.pk}",
        )
        for e in events_visible_to(user).filter(title__icontains=query).order_by("-start")[:limit]
    ]
    return results
