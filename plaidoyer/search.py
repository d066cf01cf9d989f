"""Header-search results of plaidoyer: stakeholders (the flag in the snippet), actions and
outcomes, scoped like their lists. Actions and outcomes carry a `ref`, so influence's
progress markers can take them as evidence."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.extensions import SearchResult

from . import selectors
from .models import normalise
from .permissions import can_read


def search(user, query: str, limit: int) -> list[SearchResult]:
    query = (query or "").strip()
    if len(query) < 2 or not can_read(user):
        return []
    people = selectors.stakeholders_visible_to(user)
    for word in normalise(query).split()[:6]:
        people = people.filter(search_text__contains=word)
    results = []
    for person in people.order_by("full_name", "pk")[:limit]:
        snippet = f"{person.function} · {person.organisation.name}".strip(" ·")
        if person.can_restrict_operations:
            snippet += " · " + _("peut restreindre nos opérations")
        results.append(
            SearchResult(
                kind=_("Interlocuteurs"),
                title=person.full_name,
                url=person.get_absolute_url(),
                snippet=snippet,
                when=person.last_contact_on,
            )
        )
    for action in (
        selectors.actions_visible_to(user)
        .filter(title__icontains=query)
        .order_by("-updated_at", "-pk")[:limit]
    ):
        results.append(
            SearchResult(
                kind=_("Actions de plaidoyer"),
                title=action.title,
                url=action.get_absolute_url(),
                snippet=f"{action.get_kind_display()} · {action.get_status_display()}",
                when=action.due_on,
                ref=f"plaidoyer.advocacyaction:{action.pk}",
            )
        )
    for outcome in (
        selectors.outcomes_visible_to(user)
        .filter(title__icontains=query)
        .order_by("-occurred_on", "-pk")[:limit]
    ):
        results.append(
            SearchResult(
                kind=_("Résultats de plaidoyer"),
                title=outcome.title,
                url=outcome.get_absolute_url(),
                snippet=outcome.get_kind_display(),
                when=outcome.occurred_on,
                ref=f"plaidoyer.outcome:{outcome.pk}",
            )
        )
    return results
