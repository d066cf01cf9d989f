"""Watch rules (saved searches): list, create from the inbox filter, edit, delete, RSS."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.filters import current_sort
from core.forms import add_service_errors
from core.permissions import access_required
from core.scoping import get_scoped_object_or_404

from .. import selectors, services
from ..filters import FILTER_KEYS, rule_querydict
from ..forms import WatchRuleForm
from ..permissions import can_read
from ..selectors import rules_of


def _crumbs(*extra):
    return [
        (_("Veille"), reverse("veille:inbox")),
        (_("Règles de veille"), reverse("veille:rules")),
        *extra,
    ]


@access_required(can_read)
def rule_list(request):
    filterset = selectors.rule_list(request.user, request.GET)
    rules = list(filterset.qs)
    for rule in rules:
        rule.inbox_query = rule_querydict(rule.filters, rule.query).urlencode()
        rule.feed_url = (
            request.build_absolute_uri(reverse("veille:rule_rss", args=[rule.feed_token]))
            if rule.feed_token
            else ""
        )
    return render(
        request,
        "veille/rules/list.html",
        {
            "rules": rules,
            "filter": filterset,
            "sort": current_sort(filterset),
            "crumbs": [(_("Veille"), reverse("veille:inbox")), (_("Règles de veille"), "")],
        },
    )


def _filter_data(request, *, initial: QueryDict | None = None) -> QueryDict:
    """The rule's filter fields: from the submitted form, or from the inbox URL."""
    source = request.POST if request.method == "POST" else (initial or request.GET)
    data = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        values = [v for v in source.getlist(key) if v != ""]
        if values:
            data.setlist(key, values)
    data["status"] = "all"
    return data


@access_required(can_read)
def rule_create(request):
    if request.method == "POST":
        form = WatchRuleForm(request.POST, filter_data=_filter_data(request))
        if form.is_valid():
            try:
                rule = services.rule_create(
                    owner=request.user, request=request, **form.service_kwargs()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Règle « %(name)s » enregistrée : elle surveille les prochains articles.")
                    % {"name": rule.name},
                )
                return redirect("veille:rules")
    else:
        initial = {
            "query": request.GET.get("q", "")[:500],
            "active": True,
            "alert_in_app": True,
            "name": (request.GET.get("q", "") or _("Ma règle"))[:200],
        }
        form = WatchRuleForm(initial=initial, filter_data=_filter_data(request))
    return render(
        request,
        "veille/rules/form.html",
        {
            "form": form,
            "filter_form": form.filter_form,
            "creating": True,
            "crumbs": _crumbs((_("Nouvelle règle"), "")),
        },
    )


@access_required(can_read)
def rule_edit(request, pk: int):
    rule = get_scoped_object_or_404(request, rules_of(request.user), pk=pk)
    if request.method == "POST":
        form = WatchRuleForm(request.POST, instance=rule, filter_data=_filter_data(request))
        if form.is_valid():
            try:
                services.rule_update(
                    rule=rule, user=request.user, request=request, **form.service_kwargs()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Règle mise à jour."))
                return redirect("veille:rules")
    else:
        form = WatchRuleForm(
            instance=rule,
            filter_data=_filter_data(request, initial=rule_querydict(rule.filters)),
        )
    return render(
        request,
        "veille/rules/form.html",
        {
            "form": form,
            "filter_form": form.filter_form,
            "rule": rule,
            "creating": False,
            "crumbs": _crumbs((rule.name, "")),
        },
    )


@access_required(can_read)
def rule_delete(request, pk: int):
    rule = get_scoped_object_or_404(request, rules_of(request.user), pk=pk)
    if request.method == "POST":
        services.rule_delete(rule=rule, user=request.user, request=request)
        messages.success(request, _("Règle « %(name)s » supprimée.") % {"name": rule.name})
        return redirect("veille:rules")
    return render(
        request,
        "veille/rules/delete.html",
        {
            "rule": rule,
            "alert_count": rule.alerts.count(),
            "crumbs": _crumbs(
                (rule.name, reverse("veille:rule_edit", args=[rule.pk])), (_("Supprimer"), "")
            ),
        },
    )


@access_required(can_read)
@require_POST
def rule_feed(request, pk: int):
    """Create (or replace) the rule's private RSS address, or revoke it."""
    rule = get_scoped_object_or_404(request, rules_of(request.user), pk=pk)
    if request.POST.get("action") == "revoke":
        services.rule_feed_revoke(rule=rule, user=request.user)
        messages.success(request, _("Le flux privé est révoqué : son adresse ne répond plus."))
    else:
        replacing = bool(rule.feed_token)
        services.rule_feed_enable(rule=rule, user=request.user)
        messages.success(
            request,
            _("Nouvelle adresse de flux créée ; l'ancienne ne répond plus.")
            if replacing
            else _("Flux privé créé. Copiez son adresse dans votre lecteur de flux."),
        )
    return redirect(reverse("veille:rules") + f"#rule-{rule.pk}")
