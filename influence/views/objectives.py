"""Objectives: the ranked list, an objective's page, its markers and indicators."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.extensions import registry
from core.models import Theme
from core.permissions import access_required
from core.scoping import get_scoped_object_or_404

from ..forms import IndicatorForm, MarkerForm, MarkerTickForm, ObjectiveForm
from ..models import Indicator, MarkerEvidence, Objective, ProgressMarker
from ..permissions import can_read, can_write
from ..selectors import objectives as selectors
from ..selectors.strategies import strategies_editable_by, strategies_visible_to
from ..services import objectives as services
from ..services.objectives import evidence_models
from .common import confirm_page, crumbs, form_page, paginate, run_service


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@access_required(can_read)
def objective_list(request):
    params = request.GET
    sort = params.get("sort", "")
    at_risk = params.get("a_risque") == "1"
    queryset = selectors.objective_list(
        request.user,
        strategy_id=_int(params.get("strategie")),
        theme_id=_int(params.get("theme")),
        status=params.get("statut", "") if params.get("statut") in Objective.Status.values else "",
        at_risk=at_risk,
        sort=sort,
    )
    page = paginate(request, queryset)
    return render(
        request,
        "influence/objectives/list.html",
        {
            "page_obj": page,
            "sort": sort,
            "at_risk": at_risk,
            "weights": selectors.weights(),
            "strategies": strategies_visible_to(request.user).order_by("scope", "country__name_fr"),
            "themes": Theme.objects.order_by("position", "name_fr"),
            "statuses": Objective.Status.choices,
            "current": {k: params.get(k, "") for k in ("strategie", "theme", "statut")},
            "at_risk_days": settings.INFLUENCE_AT_RISK_DAYS,
            "at_risk_percent": settings.INFLUENCE_AT_RISK_PERCENT,
            "crumbs": crumbs((_("Objectifs"), "")),
        },
    )


def _objective_url(objective) -> str:
    return reverse("influence:objective_detail", args=[objective.pk])


def _trail(objective, *extra):
    return crumbs(
        (
            objective.strategy.title,
            reverse("influence:strategy_detail", args=[objective.strategy_id]),
        ),
        (objective.title, _objective_url(objective) if extra else ""),
        *extra,
    )


@access_required(can_read)
def objective_detail(request, pk: int):
    objective = get_scoped_object_or_404(
        request, selectors.objective_detail_queryset(request.user), pk=pk
    )
    editable = selectors.objectives_editable_by(request.user).filter(pk=pk).exists()
    markers = selectors.objective_markers(objective)
    levels = [
        (value, label, [m for m in markers if m.level == value])
        for value, label in ProgressMarker.Level.choices
    ]
    return render(
        request,
        "influence/objectives/detail.html",
        {
            "objective": objective,
            "terms": selectors.priority_terms(objective),
            "weight_total": sum(selectors.weights().values()),
            "levels": levels,
            "indicators": list(objective.indicators.all()),
            "themes": list(objective.themes.all()),
            "audiences": [
                label
                for value, label in ObjectiveForm.base_fields["audiences"].choices
                if value in objective.audiences
            ],
            "events": list(objective.events.order_by("start")[:10]),
            "taken_up_by": list(objective.taken_up_by.select_related("strategy__country")),
            "can_edit": editable,
            "marker_form": MarkerForm() if editable else None,
            "crumbs": _trail(objective),
        },
    )


@access_required(can_write)
def objective_create(request, strategy_pk: int):
    strategy = get_scoped_object_or_404(
        request, strategies_editable_by(request.user), pk=strategy_pk
    )
    url = reverse("influence:strategy_detail", args=[strategy.pk])
    form = ObjectiveForm(
        request.POST or None, strategy=strategy, initial={"status": Objective.Status.ACTIVE}
    )
    if request.method == "POST" and form.is_valid():
        objective = run_service(
            form,
            lambda: services.objective_create(
                strategy=strategy, user=request.user, data=form.cleaned_data
            ),
        )
        if objective is not None:
            messages.success(
                request, _("Objectif ajouté. Décrivez maintenant ses marqueurs de progrès.")
            )
            return redirect(_objective_url(objective))
    return form_page(
        request,
        form=form,
        title=_("Nouvel objectif"),
        intro=_("Stratégie : %(title)s") % {"title": strategy.title},
        trail=crumbs((strategy.title, url), (_("Nouvel objectif"), "")),
        cancel_url=url,
        status=400 if form.is_bound and form.errors else 200,
    )


@access_required(can_write)
def objective_edit(request, pk: int):
    objective = get_scoped_object_or_404(
        request, selectors.objectives_editable_by(request.user), pk=pk
    )
    initial = {
        name: getattr(objective, name) for name in services.OBJECTIVE_FIELDS if name != "themes"
    }
    initial["themes"] = list(objective.themes.all())
    form = ObjectiveForm(request.POST or None, strategy=objective.strategy, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = run_service(
            form,
            lambda: services.objective_update(
                objective=objective, user=request.user, data=form.cleaned_data
            ),
        )
        if changed is not None:
            messages.success(request, _("Objectif enregistré."))
            return redirect(_objective_url(objective))
    return form_page(
        request,
        form=form,
        title=_("Modifier l'objectif"),
        trail=_trail(objective, (_("Modifier"), "")),
        cancel_url=_objective_url(objective),
        status=400 if form.is_bound and form.errors else 200,
    )


@access_required(can_write)
def objective_delete(request, pk: int):
    objective = get_scoped_object_or_404(
        request, selectors.objectives_editable_by(request.user), pk=pk
    )
    if request.method == "POST":
        strategy_id = objective.strategy_id
        services.objective_delete(objective=objective, user=request.user)
        messages.success(request, _("Objectif supprimé."))
        return redirect("influence:strategy_detail", pk=strategy_id)
    return confirm_page(
        request,
        title=_("Supprimer l'objectif « %(title)s » ?") % {"title": objective.title},
        consequences=_(
            "Ses marqueurs de progrès, leurs preuves et ses indicateurs seront supprimés ; les "
            "objectifs pays qui le reprennent deviendront des objectifs propres au pays."
        ),
        action_url=reverse("influence:objective_delete", args=[pk]),
        cancel_url=_objective_url(objective),
        trail=_trail(objective, (_("Supprimer"), "")),
    )


@require_POST
@access_required(can_write)
def marker_create(request, pk: int):
    objective = get_scoped_object_or_404(
        request, selectors.objectives_editable_by(request.user), pk=pk
    )
    form = MarkerForm(request.POST)
    if form.is_valid() and run_service(
        form,
        lambda: services.marker_create(
            objective=objective, user=request.user, data=form.cleaned_data
        ),
    ):
        messages.success(request, _("Marqueur ajouté."))
        return redirect(_objective_url(objective) + "#marqueurs")
    return form_page(
        request,
        form=form,
        title=_("Nouveau marqueur de progrès"),
        trail=_trail(objective, (_("Nouveau marqueur"), "")),
        cancel_url=_objective_url(objective),
        status=400,
    )


def _editable_markers(user):
    return ProgressMarker.objects.filter(
        objective__in=selectors.objectives_editable_by(user)
    ).select_related("objective__strategy")


def _evidence_choices(user, query: str) -> list[tuple[str, str, str]]:
    """(ref, title, kind) of what the header search shows this user and that may serve
    as evidence (see INFLUENCE_EVIDENCE_MODELS)."""
    if not query.strip():
        return []
    allowed = set(evidence_models())
    found = []
    for result in registry.search(user, query, limit=8):
        label = (result.ref or "").partition(":")[0].lower()
        if label in allowed:
            found.append((result.ref, result.title, result.kind))
    return found


@access_required(can_write)
def marker_tick(request, pk: int):
    marker = get_scoped_object_or_404(request, _editable_markers(request.user), pk=pk)
    objective = marker.objective
    query = request.POST.get("evidence_query", "") if request.method == "POST" else ""
    found = _evidence_choices(request.user, query)
    choices = [(ref, f"{kind} — {title}") for ref, title, kind in found]
    form = MarkerTickForm(
        request.POST or None,
        evidence_choices=choices,
        initial={"reached_on": marker.reached_on or timezone.localdate(), "note": marker.note},
    )
    searching = request.POST.get("action") == "search"
    if request.method == "POST" and not searching and form.is_valid():
        picked = set(form.cleaned_data["evidence"])
        evidence = [item for item in found if item[0] in picked]
        done = run_service(
            form,
            lambda: services.marker_tick(
                marker=marker,
                user=request.user,
                reached_on=form.cleaned_data["reached_on"],
                note=form.cleaned_data["note"],
                evidence=evidence,
            ),
        )
        if done is not None:
            messages.success(request, _("Marqueur coché."))
            return redirect(_objective_url(objective) + "#marqueurs")
    if searching:
        # Show what the search found; nothing is checked or saved yet.
        form = MarkerTickForm(
            evidence_choices=choices,
            initial={
                "reached_on": request.POST.get("reached_on") or timezone.localdate(),
                "note": request.POST.get("note", ""),
                "evidence_query": query,
            },
        )
    return render(
        request,
        "influence/objectives/marker_tick.html",
        {
            "form": form,
            "marker": marker,
            "objective": objective,
            "searched": bool(query.strip()),
            "found": found,
            "evidence": list(marker.evidence.all()),
            "crumbs": _trail(objective, (_("Cocher un marqueur"), "")),
        },
        status=400 if request.method == "POST" and not searching and form.errors else 200,
    )


@require_POST
@access_required(can_write)
def marker_untick(request, pk: int):
    marker = get_scoped_object_or_404(request, _editable_markers(request.user), pk=pk)
    services.marker_untick(marker=marker, user=request.user)
    messages.success(request, _("Marqueur décoché ; ses preuves sont conservées."))
    return redirect(_objective_url(marker.objective) + "#marqueurs")


@access_required(can_write)
def marker_delete(request, pk: int):
    marker = get_scoped_object_or_404(request, _editable_markers(request.user), pk=pk)
    objective = marker.objective
    if request.method == "POST":
        services.marker_delete(marker=marker, user=request.user)
        messages.success(request, _("Marqueur supprimé."))
        return redirect(_objective_url(objective) + "#marqueurs")
    return confirm_page(
        request,
        title=_("Supprimer le marqueur « %(text)s » ?") % {"text": marker.text},
        consequences=_("Le marqueur et les preuves qui lui sont rattachées seront supprimés."),
        action_url=reverse("influence:marker_delete", args=[pk]),
        cancel_url=_objective_url(objective),
        trail=_trail(objective, (_("Supprimer un marqueur"), "")),
    )


@require_POST
@access_required(can_write)
def evidence_remove(request, pk: int):
    evidence = get_scoped_object_or_404(
        request,
        MarkerEvidence.objects.filter(marker__in=_editable_markers(request.user)).select_related(
            "marker"
        ),
        pk=pk,
    )
    marker_pk = evidence.marker_id
    services.evidence_remove(evidence=evidence, user=request.user)
    messages.success(request, _("Preuve retirée."))
    return redirect("influence:marker_tick", pk=marker_pk)


def _editable_indicators(user):
    return Indicator.objects.filter(
        objective__in=selectors.objectives_editable_by(user)
    ).select_related("objective__strategy")


@access_required(can_write)
def indicator_create(request, pk: int):
    objective = get_scoped_object_or_404(
        request, selectors.objectives_editable_by(request.user), pk=pk
    )
    form = IndicatorForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            lambda: services.indicator_create(
                objective=objective, user=request.user, data=form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("Indicateur ajouté."))
        return redirect(_objective_url(objective) + "#indicateurs")
    return form_page(
        request,
        form=form,
        title=_("Nouvel indicateur"),
        trail=_trail(objective, (_("Nouvel indicateur"), "")),
        cancel_url=_objective_url(objective),
        status=400 if form.is_bound and form.errors else 200,
    )


@access_required(can_write)
def indicator_edit(request, pk: int):
    indicator = get_scoped_object_or_404(request, _editable_indicators(request.user), pk=pk)
    objective = indicator.objective
    form = IndicatorForm(
        request.POST or None,
        initial={name: getattr(indicator, name) for name in services.INDICATOR_FIELDS},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            run_service(
                form,
                lambda: services.indicator_update(
                    indicator=indicator, user=request.user, data=form.cleaned_data
                ),
            )
            is not None
        )
    ):
        messages.success(request, _("Indicateur enregistré."))
        return redirect(_objective_url(objective) + "#indicateurs")
    return form_page(
        request,
        form=form,
        title=_("Mettre à jour l'indicateur"),
        trail=_trail(objective, (indicator.name, "")),
        cancel_url=_objective_url(objective),
        status=400 if form.is_bound and form.errors else 200,
    )


@access_required(can_write)
def indicator_delete(request, pk: int):
    indicator = get_scoped_object_or_404(request, _editable_indicators(request.user), pk=pk)
    objective = indicator.objective
    if request.method == "POST":
        services.indicator_delete(indicator=indicator, user=request.user)
        messages.success(request, _("Indicateur supprimé."))
        return redirect(_objective_url(objective) + "#indicateurs")
    return confirm_page(
        request,
        title=_("Supprimer l'indicateur « %(name)s » ?") % {"name": indicator.name},
        consequences=_("Sa valeur de référence, sa cible et sa valeur actuelle seront perdues."),
        action_url=reverse("influence:indicator_delete", args=[pk]),
        cancel_url=_objective_url(objective),
        trail=_trail(objective, (_("Supprimer un indicateur"), "")),
    )
