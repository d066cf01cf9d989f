"""Collection objectives (coordinators): list with progress, per site, create, edit, delete.

Progress is computed in the same query as the list (see selectors/objectives.py for what counts).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.filters import current_sort
from core.forms import add_service_errors
from core.permissions import access_required, object_access
from core.scoping import get_scoped_object_or_404

from .. import selectors
from ..forms.objectives import ObjectiveForm
from ..models import CollectionObjective
from ..permissions import can_review
from ..services import objectives as services


def _crumbs(*extra):
    return [(_("Témoignages"), reverse("temoignages:home")), *extra]


@access_required(can_review)
def objectives_list(request):
    filterset = selectors.objectives_filterset(user=request.user, data=request.GET)
    page = Paginator(filterset.qs, settings.PAGINATE_BY).get_page(request.GET.get("page"))
    return render(
        request,
        "temoignages/objectives/list.html",
        {
            "filter_form": filterset.form,
            "sort": current_sort(filterset),
            "page_obj": page,
            "rows": [(o, selectors.progress_of(o)) for o in page.object_list],
            "has_filters": any(k not in ("page", "period", "sort") for k in request.GET),
            "crumbs": _crumbs((_("Objectifs de collecte"), "")),
        },
    )


@access_required(can_review)
def objectives_by_site(request):
    """Current objectives grouped by site (then country-wide ones), with their bars."""
    filterset = selectors.objectives_filterset(user=request.user, data=request.GET)
    objectives = list(filterset.qs)
    groups = selectors.objectives_by_site(objectives)
    for group in groups:
        group["rows"] = [(o, selectors.progress_of(o)) for o in group["objectives"]]
    return render(
        request,
        "temoignages/objectives/by_site.html",
        {
            "filter_form": filterset.form,
            "groups": groups,
            "crumbs": _crumbs(
                (_("Objectifs de collecte"), reverse("temoignages:objectives")),
                (_("Par site"), ""),
            ),
        },
    )


@access_required(can_review)
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


def _objective(request, pk: int) -> CollectionObjective:
    return get_scoped_object_or_404(
        request,
        selectors.objectives_visible_to(request.user).select_related("theme", "site", "country"),
        pk=pk,
    )


@access_required(can_review)
@object_access(_objective)
def objective_edit(request, objective: CollectionObjective, pk: int):
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


@access_required(can_review)
@object_access(_objective)
def objective_delete(request, objective: CollectionObjective, pk: int):
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
