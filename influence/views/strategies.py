"""Strategies: the side-by-side view, a strategy's page, its risks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.markdown import render_markdown
from core.models import Role
from core.permissions import access_required
from core.scoping import get_scope, get_scoped_object_or_404

from ..forms import CountryStrategyForm, RiskForm, StrategyForm
from ..models import OperationalRisk, Strategy
from ..permissions import can_manage_unit, can_read, can_write
from ..selectors import objectives as objective_selectors
from ..selectors import strategies as selectors
from ..services import strategies as services
from .common import confirm_page, crumbs, form_page, paginate, run_service


@access_required(can_read)
def strategy_index(request):
    """The unit strategy and its country strategies side by side, then every strategy."""
    unit = selectors.current_unit_strategy(request.user)
    sort = request.GET.get("sort", "")
    page = paginate(request, selectors.strategy_list(request.user, sort=sort))
    return render(
        request,
        "influence/strategies/index.html",
        {
            "unit": unit,
            "grid": selectors.side_by_side(request.user, unit) if unit else None,
            "page_obj": page,
            "sort": sort,
            "can_manage_unit": can_manage_unit(request.user),
            "can_write": can_write(request.user),
            "crumbs": [(_("Stratégies"), "")],
        },
    )


@access_required(can_read)
def strategy_detail(request, pk: int):
    strategy = get_scoped_object_or_404(
        request, selectors.strategies_visible_to(request.user), pk=pk
    )
    sort = request.GET.get("sort", "")
    objectives = objective_selectors.objective_list(
        request.user, strategy_id=strategy.pk, sort=sort
    )
    editable = selectors.strategies_editable_by(request.user).filter(pk=strategy.pk).exists()
    return render(
        request,
        "influence/strategies/detail.html",
        {
            "strategy": strategy,
            "common_thread_html": render_markdown(strategy.common_thread),
            "context_html": render_markdown(strategy.context),
            "risks": list(selectors.strategy_risks(strategy)),
            "children": list(
                strategy.children.select_related("country").order_by("country__name_fr")
            ),
            "objectives": paginate(request, objectives),
            "sort": sort,
            "can_edit": editable,
            "can_validate": can_manage_unit(request.user)
            and strategy.status == Strategy.Status.DRAFT,
            "can_archive": can_manage_unit(request.user)
            and strategy.status != Strategy.Status.ARCHIVED,
            "crumbs": crumbs((strategy.title, "")),
        },
    )


@access_required(can_write)
def strategy_create(request):
    """A country strategy under the current unit strategy, or (coordinators, when there is
    none or with ?unite=1) a unit strategy."""
    unit = selectors.current_unit_strategy(request.user)
    as_unit = can_manage_unit(request.user) and (unit is None or request.GET.get("unite") == "1")
    form_class = StrategyForm if as_unit else CountryStrategyForm
    form = form_class(request.POST or None)
    if not as_unit and unit is None:
        messages.warning(request, _("Il faut d'abord une stratégie de l'unité."))
        return redirect("influence:strategies")
    if not as_unit and not can_manage_unit(request.user):
        ids = get_scope(request.user).country_ids(Role.ADVOCACY_OFFICER)
        form.fields["country"].queryset = form.fields["country"].queryset.filter(pk__in=ids)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        country = data.pop("country", None)
        strategy = run_service(
            form,
            lambda: services.strategy_create(
                user=request.user, data=data, country=country, parent=None if as_unit else unit
            ),
        )
        if strategy is not None:
            messages.success(request, _("Stratégie créée (brouillon)."))
            return redirect("influence:strategy_detail", pk=strategy.pk)
    return form_page(
        request,
        form=form,
        title=_("Nouvelle stratégie de l'unité") if as_unit else _("Nouvelle stratégie pays"),
        trail=crumbs((_("Nouvelle stratégie"), "")),
        cancel_url=reverse("influence:strategies"),
        status=400 if form.is_bound and form.errors else 200,
    )


@access_required(can_write)
def strategy_edit(request, pk: int):
    strategy = get_scoped_object_or_404(
        request, selectors.strategies_editable_by(request.user), pk=pk
    )
    initial = {name: getattr(strategy, name) for name in services.STRATEGY_FIELDS}
    form = StrategyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = run_service(
            form,
            lambda: services.strategy_update(
                strategy=strategy, user=request.user, data=form.cleaned_data
            ),
        )
        if changed is not None:
            messages.success(request, _("Stratégie enregistrée."))
            return redirect("influence:strategy_detail", pk=strategy.pk)
    return form_page(
        request,
        form=form,
        title=_("Modifier la stratégie"),
        trail=crumbs(
            (strategy.title, reverse("influence:strategy_detail", args=[pk])), (_("Modifier"), "")
        ),
        cancel_url=reverse("influence:strategy_detail", args=[pk]),
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@access_required(can_manage_unit)
def strategy_validate(request, pk: int):
    strategy = get_scoped_object_or_404(
        request, selectors.strategies_visible_to(request.user), pk=pk
    )
    try:
        services.strategy_validate(strategy=strategy, user=request.user)
        messages.success(request, _("Stratégie validée."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("influence:strategy_detail", pk=pk)


@access_required(can_manage_unit)
def strategy_archive(request, pk: int):
    strategy = get_scoped_object_or_404(
        request, selectors.strategies_visible_to(request.user), pk=pk
    )
    url = reverse("influence:strategy_detail", args=[pk])
    if request.method == "POST":
        services.strategy_archive(strategy=strategy, user=request.user)
        messages.success(request, _("Stratégie archivée."))
        return redirect(url)
    return confirm_page(
        request,
        title=_("Archiver « %(title)s » ?") % {"title": strategy.title},
        consequences=_(
            "La stratégie quitte la vue côte à côte et la matrice de cohérence ; ses objectifs "
            "et son historique restent consultables."
        ),
        action_url=reverse("influence:strategy_archive", args=[pk]),
        cancel_url=url,
        trail=crumbs((strategy.title, url), (_("Archiver"), "")),
        button_label=_("Archiver la stratégie"),
    )


@access_required(can_write)
def risk_create(request, pk: int):
    strategy = get_scoped_object_or_404(
        request, selectors.strategies_editable_by(request.user), pk=pk
    )
    form = RiskForm(request.POST or None)
    url = reverse("influence:strategy_detail", args=[pk])
    if request.method == "POST" and form.is_valid():
        risk = run_service(
            form,
            lambda: services.risk_create(
                strategy=strategy, user=request.user, data=form.cleaned_data
            ),
        )
        if risk is not None:
            messages.success(request, _("Risque ajouté."))
            return redirect(url + "#risques")
    return form_page(
        request,
        form=form,
        title=_("Nouveau risque opérationnel"),
        trail=crumbs((strategy.title, url), (_("Nouveau risque"), "")),
        cancel_url=url,
        status=400 if form.is_bound and form.errors else 200,
    )


def _editable_risks(user):
    return OperationalRisk.objects.filter(
        strategy__in=selectors.strategies_editable_by(user)
    ).select_related("strategy")


@access_required(can_write)
def risk_edit(request, pk: int):
    risk = get_scoped_object_or_404(request, _editable_risks(request.user), pk=pk)
    url = reverse("influence:strategy_detail", args=[risk.strategy_id])
    form = RiskForm(
        request.POST or None, initial={name: getattr(risk, name) for name in services.RISK_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        changed = run_service(
            form, lambda: services.risk_update(risk=risk, user=request.user, data=form.cleaned_data)
        )
        if changed is not None:
            messages.success(request, _("Risque enregistré."))
            return redirect(url + "#risques")
    return form_page(
        request,
        form=form,
        title=_("Modifier le risque"),
        trail=crumbs((risk.strategy.title, url), (_("Modifier le risque"), "")),
        cancel_url=url,
        status=400 if form.is_bound and form.errors else 200,
    )


@access_required(can_write)
def risk_delete(request, pk: int):
    risk = get_scoped_object_or_404(request, _editable_risks(request.user), pk=pk)
    url = reverse("influence:strategy_detail", args=[risk.strategy_id])
    if request.method == "POST":
        services.risk_delete(risk=risk, user=request.user)
        messages.success(request, _("Risque supprimé."))
        return redirect(url + "#risques")
    return confirm_page(
        request,
        title=_("Supprimer le risque « %(title)s » ?") % {"title": risk.title},
        consequences=_("Le risque et ses mesures d'atténuation seront supprimés de la stratégie."),
        action_url=reverse("influence:risk_delete", args=[pk]),
        cancel_url=url,
        trail=crumbs((risk.strategy.title, url), (_("Supprimer le risque"), "")),
    )
