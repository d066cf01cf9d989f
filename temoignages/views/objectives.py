"""Collection objectives (coordinators): list with progress, per site, create, edit, delete.

Progress is computed in the same query as the list (see selectors/objectives.py for what counts).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.forms import add_service_errors
from core.scoping import coordinator_required

from .. import selectors
from ..forms.objectives import ObjectiveFilterForm, ObjectiveForm
from ..models import CollectionObjective
from ..services import objectives as services

SORTS = {
    "end": (F("period_end").asc(), "pk"),
    "progress": (F("ratio").asc(), F("period_end").asc(), "pk"),
    "theme": ("theme__position", "theme__name_fr", "pk"),
    "place": (
        F("site__country__name_fr").asc(nulls_last=True),
        F("site__name_fr").asc(nulls_first=True),
        F("country__name_fr").asc(nulls_last=True),
        "pk",
    ),
}


def _crumbs(*extra):
    return [(_("Témoignages"), reverse("temoignages:home")), *extra]


def filtered_objectives(request):
    data = request.GET.copy()
    data.setdefault("period", "current")
    form = ObjectiveFilterForm(data)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    queryset = selectors.objectives_period_filter(
        CollectionObjective.objects.all(), cleaned.get("period") or "current"
    )
    if cleaned.get("theme"):
        queryset = queryset.filter(theme=cleaned["theme"])
    if cleaned.get("site"):
        site = cleaned["site"]
        queryset = queryset.filter(Q(site=site) | Q(country_id=site.country_id))
    if cleaned.get("country"):
        country = cleaned["country"]
        queryset = queryset.filter(Q(country=country) | Q(site__country=country))
    sort = cleaned.get("sort") or "end"
    queryset = selectors.objectives_with_progress(queryset).order_by(*SORTS[sort])
    return form, queryset


@coordinator_required
def objectives_list(request):
    form, queryset = filtered_objectives(request)
    page = Paginator(queryset, settings.PAGINATE_BY).get_page(request.GET.get("page"))
    return render(
        request,
        "temoignages/objectives/list.html",
        {
            "filter_form": form,
            "page_obj": page,
            "rows": [(o, selectors.progress_of(o)) for o in page.object_list],
            "has_filters": any(k not in ("page", "period") for k in request.GET),
            "crumbs": _crumbs((_("Objectifs de collecte"), "")),
        },
    )


@coordinator_required
def objectives_by_site(request):
    """Current objectives grouped by site (then country-wide ones), with their bars."""
    form, queryset = filtered_objectives(request)
    objectives = list(queryset)
    groups = selectors.objectives_by_site(objectives)
    for group in groups:
        group["rows"] = [(o, selectors.progress_of(o)) for o in group["objectives"]]
    return render(
        request,
        "temoignages/objectives/by_site.html",
        {
            "filter_form": form,
            "groups": groups,
            "crumbs": _crumbs(
                (_("Objectifs de collecte"), reverse("temoignages:objectives")),
                (_("Par site"), ""),
            ),
        },
    )


@coordinator_required
def objective_create(request):
    form = ObjectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Objectif de collecte créé."))
            return redirect("temoignages:objectives")
    return render(
        request,
        "temoignages/objectives/edit.html",
        {
            "form": form,
            "objective": None,
            "crumbs": _crumbs(
                (_("Objectifs de collecte"), reverse("temoignages:objectives")),
                (_("Nouvel objectif"), ""),
            ),
        },
    )


@coordinator_required
def objective_edit(request, pk: int):
    objective = get_object_or_404(CollectionObjective, pk=pk)
    form = ObjectiveForm(request.POST or None, instance=objective)
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_update(objective=objective, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Objectif enregistré."))
            return redirect("temoignages:objectives")
    return render(
        request,
        "temoignages/objectives/edit.html",
        {
            "form": form,
            "objective": objective,
            "crumbs": _crumbs(
                (_("Objectifs de collecte"), reverse("temoignages:objectives")),
                (_("Modifier l'objectif"), ""),
            ),
        },
    )


@coordinator_required
def objective_delete(request, pk: int):
    objective = get_object_or_404(
        CollectionObjective.objects.select_related("theme", "site", "country"), pk=pk
    )
    if request.method == "POST":
        services.objective_delete(objective=objective, user=request.user)
        messages.success(request, _("Objectif supprimé."))
        return redirect("temoignages:objectives")
    return render(
        request,
        "temoignages/objectives/delete.html",
        {
            "objective": objective,
            "crumbs": _crumbs(
                (_("Objectifs de collecte"), reverse("temoignages:objectives")),
                (_("Supprimer l'objectif"), ""),
            ),
        },
    )
