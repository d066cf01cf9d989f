"""Alerts: the articles that matched the user's watch rules."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.filters import current_sort
from core.permissions import access_required

from .. import selectors
from ..permissions import can_read
from ..services import alerts_mark_read


@access_required(can_read)
@require_GET
def alert_list(request):
    filterset = selectors.alert_list(request.user, request.GET)
    page = Paginator(filterset.qs, settings.PAGINATE_BY).get_page(request.GET.get("page"))
    return render(
        request,
        "veille/alerts/list.html",
        {
            "page_obj": page,
            "alerts": list(page.object_list),
            "filter": filterset,
            "sort": current_sort(filterset),
            "crumbs": [(_("Veille"), reverse("veille:inbox")), (_("Alertes"), "")],
        },
    )


@access_required(can_read)
@require_POST
def alerts_read(request):
    if request.POST.get("scope") == "all":
        ids = None
    else:
        try:
            ids = [int(i) for i in request.POST.getlist("alerts")]
        except ValueError:
            ids = []
    count = alerts_mark_read(user=request.user, alert_ids=ids)
    messages.success(
        request,
        ngettext("%(n)d alerte marquée comme lue.", "%(n)d alertes marquées comme lues.", count)
        % {"n": count},
    )
    return redirect("veille:alerts")
