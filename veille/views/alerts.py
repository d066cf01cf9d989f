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

from core.permissions import access_required

from ..permissions import can_read
from ..selectors import alerts_of, rules_of
from ..services import alerts_mark_read


@access_required(can_read)
@require_GET
def alert_list(request):
    alerts = alerts_of(request.user)
    only_unread = request.GET.get("etat") == "non-lues"
    rule_id = request.GET.get("regle", "")
    if only_unread:
        alerts = alerts.filter(read_at__isnull=True)
    if rule_id.isdigit():
        alerts = alerts.filter(rule_id=int(rule_id))
    page = Paginator(alerts, settings.PAGINATE_BY).get_page(request.GET.get("page"))
    return render(
        request,
        "veille/alerts/list.html",
        {
            "page_obj": page,
            "alerts": list(page.object_list),
            "rules": list(rules_of(request.user).only("pk", "name")),
            "only_unread": only_unread,
            "rule_id": int(rule_id) if rule_id.isdigit() else None,
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
