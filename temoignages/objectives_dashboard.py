"""Dashboard card: progress of the collection objectives running today.

One query (objectives with their counts), whatever the number of testimonies.
Coordinators see every objective; advocacy officers those of their country.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.extensions import Card
from core.models import Role
from core.scoping import get_scope

from . import selectors

ROWS = 6


def cards(request) -> list[Card]:
    user = request.user
    scope = get_scope(user)
    if not scope.has_role(Role.COORDINATOR, Role.ADVOCACY_OFFICER):
        return []
    objectives = list(
        selectors.objectives_with_progress(
            selectors.objectives_period_filter(selectors.objectives_visible_to(user), "current")
        ).order_by("ratio", "period_end", "pk")[: ROWS + 1]
    )
    is_coordinator = scope.is_unit_wide(Role.COORDINATOR)
    return [
        Card(
            title=_("Objectifs de collecte en cours"),
            template="temoignages/objectives/card.html",
            context={
                "rows": [(o, selectors.progress_of(o)) for o in objectives[:ROWS]],
                "more": len(objectives) > ROWS,
                "create_url": reverse("temoignages:objective_create") if is_coordinator else "",
            },
            order=45,
            width=6,
            link_url=reverse("temoignages:objectives") if is_coordinator else "",
            link_label=_("Tous les objectifs"),
        )
    ]
