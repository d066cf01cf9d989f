"""What témoignages contributes to the other apps: the field officers' home page, its
navigation section and badge, dashboard cards, header-search results (testimony codes)
and demo content.

Dashboard cards by role, each number being the count of the list it links to:
- coordinators: testimonies awaiting review, consents to renew, collection objectives;
- advocacy officers: their country's collection objectives;
- field officers: their drafts, their sites' objectives, the consents to renew there.
"""

from __future__ import annotations

from django.db.models import Count, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.extensions import (
    Card,
    HomePage,
    NavSection,
    SearchResult,
    Seeder,
    dashboard_cards,
    register,
    search_results,
)
from core.models import Role
from core.permissions import EVERYONE, FIELD, role_predicate
from core.scoping import get_scope

from . import demo, permissions, selectors
from .models import Testimony

ROWS = 5
OBJECTIVE_ROWS = 6

register(
    HomePage(
        key="temoignages.home",
        url_name="temoignages:home",
        visible=role_predicate(FIELD),
        order=20,
    ),
    NavSection(
        key="temoignages",
        label=gettext_lazy("Témoignages"),
        url_name="temoignages:home",
        visible=role_predicate(EVERYONE),
        order=50,
        badge=selectors.nav_badge,
        badge_label=gettext_lazy("à traiter"),
    ),
    Seeder(key="temoignages", seed=demo.seed, order=50),
)


def _first_rows(queryset, n=ROWS) -> tuple[list, int]:
    """The first `n` rows and the count of the whole queryset, in one query (for short
    lists: a window count reads every matching row)."""
    rows = list(queryset.annotate(total=Window(Count("pk")))[:n])
    return rows, (rows[0].total if rows else 0)


@dashboard_cards
def cards(request) -> list[Card]:
    user = request.user
    scope = get_scope(user)
    found: list[Card] = []
    if permissions.is_reviewer(user):
        found.append(_awaiting_review_card(user))
    if permissions.is_reviewer(user) or scope.has_role(Role.FIELD_COMMS):
        found.append(_consents_card(user))
    if scope.has_role(Role.COORDINATOR, Role.ADVOCACY_OFFICER):
        found.append(objectives_card(user, scope))
    elif scope.has_role(Role.FIELD_COMMS):
        found.append(_drafts_card(user))
        found.append(_site_objectives_card(user))
    return found


def _awaiting_review_card(user) -> Card:
    # Count and rows apart: on thousands of submitted testimonies a window count is slower.
    waiting = selectors.awaiting_review(user).select_related("site").order_by("submitted_at", "id")
    count = waiting.count()
    rows = list(waiting[:ROWS]) if count else []
    return Card(
        key="temoignages.awaiting_review",
        title=_("Témoignages à relire"),
        template="temoignages/cards/awaiting_review.html",
        context={"count": count, "rows": rows},
        order=40,
        link_url=reverse("temoignages:list")
        + f"?status={Testimony.Status.SUBMITTED}&status={Testimony.Status.IN_REVIEW}",
        link_label=_("Tous les témoignages à relire"),
        count=count,
    )


def _consents_card(user) -> Card:
    rows, count = _first_rows(selectors.consents_expiring(user))
    return Card(
        key="temoignages.consents_expiring",
        title=_("Consentements à renouveler"),
        template="temoignages/cards/consents_expiring.html",
        context={"count": count, "rows": rows, "today": timezone.localdate()},
        order=45,
        link_url=reverse("temoignages:consents_expiring"),
        link_label=_("Tous les consentements à renouveler"),
        count=count,
    )


def _drafts_card(user) -> Card:
    rows, count = _first_rows(
        selectors.my_testimonies(user).filter(status=Testimony.Status.DRAFT).order_by("-updated_at")
    )
    return Card(
        key="temoignages.my_drafts",
        title=_("Mes brouillons"),
        template="temoignages/cards/drafts.html",
        context={"count": count, "rows": rows},
        order=5,
        link_url=reverse("temoignages:home"),
        link_label=_("Mes témoignages"),
        count=count,
    )


def _site_objectives_card(user) -> Card:
    objectives = selectors.with_progress(
        _running_objectives(user).order_by("period_end", "pk")[: OBJECTIVE_ROWS + 1]
    )
    return Card(
        key="temoignages.site_objectives",
        title=_("Objectifs de collecte de mes sites"),
        template="temoignages/objectives/card.html",
        context={
            "rows": [(o, selectors.progress_of(o)) for o in objectives[:OBJECTIVE_ROWS]],
            "more": len(objectives) > OBJECTIVE_ROWS,
            "create_url": "",
        },
        order=46,
        width=6,
        link_url=reverse("temoignages:home"),
        link_label=_("Mes témoignages et objectifs"),
    )


@search_results
def search(user, query: str, limit: int) -> list[SearchResult]:
    """Testimony codes (never content), scoped exactly like the testimony list."""
    query = (query or "").strip()
    if len(query) < 2 or not permissions.can_see_testimonies(user):
        return []
    visible = selectors.testimonies_visible_to(user)
    if not get_scope(user).has_role(Role.FIELD_COMMS):
        visible = visible.exclude(status=Testimony.Status.DRAFT)
    found = (
        visible.filter(reference__icontains=query)
        .select_related("site")
        .only("pk", "reference", "status", "collected_on", "site__name_fr", "site__name_en")
        .order_by("-collected_on", "-pk")[:limit]
    )
    return [
        SearchResult(
            kind=_("Témoignages"),
            title=testimony.reference,
            url=reverse("temoignages:detail", args=[testimony.pk]),
            snippet=f"{testimony.site.name} · {testimony.get_status_display()}",
            when=testimony.collected_on,
        )
        for testimony in found
    ]


def objectives_card(user, scope) -> Card:
    """Collection objectives running today, least advanced first (two queries)."""
    objectives = sorted(
        selectors.with_progress(_running_objectives(user)),
        key=lambda o: (o.ratio, o.period_end, o.pk),
    )[: OBJECTIVE_ROWS + 1]
    is_coordinator = scope.is_unit_wide(Role.COORDINATOR)
    return Card(
        key="temoignages.objectives",
        title=_("Objectifs de collecte en cours"),
        template="temoignages/objectives/card.html",
        context={
            "rows": [(o, selectors.progress_of(o)) for o in objectives[:OBJECTIVE_ROWS]],
            "more": len(objectives) > OBJECTIVE_ROWS,
            "create_url": reverse("temoignages:objective_create") if is_coordinator else "",
        },
        order=45,
        width=6,
        link_url=reverse("temoignages:objectives") if is_coordinator else "",
        link_label=_("Tous les objectifs"),
    )


def _running_objectives(user):
    return selectors.objectives_period_filter(
        selectors.objectives_visible_to(user), "current"
    ).select_related("theme", "site__country", "country")
