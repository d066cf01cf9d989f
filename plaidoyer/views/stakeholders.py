"""Stakeholders: the searchable list, a person's page (exchanges, positions, actions,
notes), create, edit, merge a duplicate, export and erase their data on request."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.exports import Column, ExportFormat, default_format, export_response
from core.filters import current_sort
from core.permissions import access_required, object_access

from .. import permissions, selectors, services
from ..forms import EraseForm, MergeForm, StakeholderForm
from .common import crumbs, form_page, has_filters, load_stakeholder, paginate, run_service

TABS = ("interactions", "positions", "actions", "notes")


def _trail(stakeholder=None, *extra):
    trail = [(_("Interlocuteurs"), reverse("plaidoyer:stakeholders"))]
    if stakeholder is not None:
        trail.append((stakeholder.full_name, stakeholder.get_absolute_url() if extra else ""))
    return crumbs(*trail, *extra)


@access_required(permissions.can_read)
def stakeholder_list(request):
    filterset = selectors.stakeholder_filterset(user=request.user, data=request.GET)
    page = paginate(request, filterset.qs)
    organisation = filterset.form.cleaned_data.get("organisation") if filterset.is_valid() else None
    return render(
        request,
        "plaidoyer/stakeholders/list.html",
        {
            "filter": filterset,
            "sort": current_sort(filterset),
            "page_obj": page,
            "organisation": organisation,
            "has_filters": has_filters(request),
            "can_write": permissions.can_write(request.user),
            "can_import": permissions.can_import(request.user),
            "crumbs": crumbs((_("Interlocuteurs"), "")),
        },
    )


@access_required(permissions.can_read)
@object_access(load_stakeholder)
def stakeholder_detail(request, stakeholder, pk: int):
    tab = request.GET.get("tab", "interactions")
    if tab not in TABS:
        tab = "interactions"
    context = {
        "stakeholder": stakeholder,
        "tab": tab,
        "tabs": [
            ("interactions", _("Échanges")),
            ("positions", _("Positions")),
            ("actions", _("Actions")),
            ("notes", _("Notes")),
        ],
        "can_edit": permissions.can_edit(request.user, stakeholder),
        "can_erase": permissions.can_erase(request.user, stakeholder),
        "crumbs": _trail(stakeholder),
    }
    if tab == "interactions":
        context["page_obj"] = paginate(
            request, selectors.stakeholder_interactions(request.user, stakeholder), 20
        )
    elif tab == "positions":
        context["histories"] = selectors.position_history(request.user, stakeholder)
    elif tab == "actions":
        context["page_obj"] = paginate(
            request, selectors.actions_targeting(request.user, stakeholder), 20
        )
    return render(request, "plaidoyer/stakeholders/detail.html", context)


def _form(request, instance=None):
    return StakeholderForm(
        request.POST or None,
        instance=instance,
        countries=selectors.countries_managed_by(request.user),
        organisations=selectors.organisations_visible_to(request.user).order_by("name"),
        initial={"organisation": request.GET.get("organisation")} if instance is None else None,
    )


@access_required(permissions.can_write)
def stakeholder_create(request):
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        stakeholder = run_service(
            form,
            lambda: services.stakeholder_create(
                user=request.user, data=form.cleaned_data, request=request
            ),
        )
        if stakeholder is not None:
            messages.success(request, _("Interlocuteur ajouté."))
            return redirect(stakeholder)
    return form_page(
        request,
        form=form,
        title=_("Nouvel interlocuteur"),
        intro=_("Coordonnées professionnelles uniquement : rien de personnel."),
        trail=_trail(None, (_("Nouveau"), "")),
        cancel_url=reverse("plaidoyer:stakeholders"),
    )


@access_required(permissions.can_write)
@object_access(load_stakeholder, permissions.can_edit)
def stakeholder_edit(request, stakeholder, pk: int):
    form = _form(request, stakeholder)
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            run_service(
                form,
                lambda: services.stakeholder_update(
                    stakeholder=stakeholder,
                    user=request.user,
                    data=form.cleaned_data,
                    request=request,
                ),
            )
            is not None
        )
    ):
        messages.success(request, _("Fiche enregistrée."))
        return redirect(stakeholder)
    return form_page(
        request,
        form=form,
        title=_("Modifier la fiche"),
        trail=_trail(stakeholder, (_("Modifier"), "")),
        cancel_url=stakeholder.get_absolute_url(),
    )


@access_required(permissions.can_write)
@object_access(load_stakeholder, permissions.can_merge)
def stakeholder_merge(request, stakeholder, pk: int):
    query = request.GET.get("q", "")
    candidates = selectors.merge_candidates(request.user, stakeholder, query)
    form = MergeForm(
        request.POST or None,
        candidates=selectors.stakeholders_managed_by(request.user).exclude(pk=stakeholder.pk)
        if request.method == "POST"
        else candidates,
    )
    if request.method == "POST" and form.is_valid():
        duplicate = form.cleaned_data["duplicate"]
        counts = run_service(
            form,
            lambda: services.stakeholder_merge(
                kept=stakeholder, duplicate=duplicate, user=request.user, request=request
            ),
        )
        if counts is not None:
            messages.success(
                request,
                _(
                    "Fiches fusionnées : %(i)s échange(s), %(p)s position(s) et %(t)s action(s) "
                    "rattachés à cette fiche."
                )
                % {"i": counts["interactions"], "p": counts["positions"], "t": counts["targets"]},
            )
            return redirect(stakeholder)
    return render(
        request,
        "plaidoyer/stakeholders/merge.html",
        {
            "stakeholder": stakeholder,
            "form": form,
            "query": query,
            "candidates": candidates,
            "crumbs": _trail(stakeholder, (_("Fusionner un doublon"), "")),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@access_required(permissions.can_write)
@object_access(load_stakeholder, permissions.can_export_personal_data)
def stakeholder_personal_data(request, stakeholder, pk: int):
    """Everything held about the person, as a spreadsheet (a right-of-access request)."""
    from core.services import audit_record

    export_format = request.GET.get("format") or default_format()
    if export_format not in ExportFormat.values:
        export_format = default_format()
    rows = selectors.personal_data_rows(stakeholder)
    audit_record(
        actor=request.user,
        action="export",
        obj=stakeholder,
        request=request,
        detail={"format": export_format, "mode": "personal_data", "rows": len(rows)},
    )
    return export_response(
        columns=[Column(_("Donnée"), lambda r: r[0]), Column(_("Valeur"), lambda r: r[1])],
        rows=rows,
        filename_stem=f"donnees-personnelles-{stakeholder.pk}",
        export_format=export_format,
        sheet_title=_("Données personnelles"),
    )


@access_required(permissions.can_erase_personal_data)
@object_access(load_stakeholder, permissions.can_erase)
def stakeholder_erase(request, stakeholder, pk: int):
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        organisation = services.stakeholder_erase(
            stakeholder=stakeholder, user=request.user, request=request
        )
        messages.success(
            request,
            _(
                "Données effacées. Les échanges et actions qui nommaient cette personne "
                "mentionnent désormais « %(organisation)s »."
            )
            % {"organisation": organisation.name},
        )
        return redirect(organisation)
    return render(
        request,
        "plaidoyer/stakeholders/erase.html",
        {
            "stakeholder": stakeholder,
            "form": form,
            "counts": {
                "interactions": stakeholder.interactions.count(),
                "positions": stakeholder.positions.count(),
                "actions": stakeholder.targeted_by.count(),
            },
            "crumbs": _trail(stakeholder, (_("Effacer les données"), "")),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
