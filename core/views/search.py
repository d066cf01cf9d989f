"""The header search box: every app's results for this user, grouped by kind.

Each app contributes a provider (`core.extensions.search_results`) that returns only what
the user may see, scoped exactly like the app's own list.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.extensions import registry
from core.permissions import EVERYONE, access_required, role_predicate

MAX_QUERY = 200
PER_KIND = 8


@require_GET
@access_required(role_predicate(EVERYONE))
def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    groups: dict[str, list] = {}
    too_short = 0 < len(query) < 2
    if query and not too_short:
        for result in registry.search(request.user, query, limit=PER_KIND):
            groups.setdefault(str(result.kind), []).append(result)
    return render(
        request,
        "core/search.html",
        {
            "query": query,
            "groups": sorted(groups.items()),
            "total": sum(len(rows) for rows in groups.values()),
            "too_short": too_short,
            "crumbs": [(_("Recherche"), "")],
        },
    )
