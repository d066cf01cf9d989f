"""The Témoignages landing page (`temoignages:home`).

Field officers land here from the site's home: the "Nouveau témoignage" button, their
drafts (on the server and, through the browser script, those only on this device),
testimonies sent back for correction, what they sent, and the collection objectives of
their sites. Coordinators get the same plus what waits for them (review, consents to
renew) and the builder and objectives. Other readers go to the list; anyone else is
told why there is nothing for them.
"""

from __future__ import annotations

import uuid

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from core.permissions import access_required

from .. import permissions, selectors

OBJECTIVES_ON_HOME = 6


@never_cache
@access_required(permissions.can_open_home)
def home(request):
    user = request.user
    if not permissions.is_collector(user):
        # Where each role goes: readers to the list, the others are told why.
        if permissions.can_see_testimonies(user):
            return redirect("temoignages:list")
        return render(request, "temoignages/no_access.html")
    is_coordinator = permissions.is_reviewer(user)
    objectives = selectors.with_progress(
        selectors.objectives_period_filter(selectors.objectives_visible_to(user), "current")
        .select_related("theme", "site__country", "country")
        .order_by("period_end", "pk")[:OBJECTIVES_ON_HOME]
    )
    context = {
        **selectors.home_lists(user),
        "objectives": [(o, selectors.progress_of(o)) for o in objectives],
        "is_coordinator": is_coordinator,
        "cleared_draft": _uuid_or_empty(request.GET.get("discarded", "")),
    }
    if is_coordinator:
        context["awaiting_review"] = selectors.awaiting_review_count(user)
        context["consents_expiring"] = selectors.consents_expiring(user).count()
    return render(request, "temoignages/home.html", context)


def _uuid_or_empty(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return ""
