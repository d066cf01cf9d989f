"""Organisations: the list, one organisation's page, create, edit, archive, delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.filters import current_sort
from core.permissions import access_required, object_access

from .. import permissions, selectors, services
from ..forms import OrganisationForm
from .common import (
    crumbs,
    form_page,
    has_filters,
    load_organisation,
    paginate,
    run_service,
)


def _trail(organisation=None, *extra):
    trail = [(_("Organisations"), reverse("plaidoyer:organisations"))]
    if organisation is not None:
        trail.append((organisation.name, organisation.get_absolute_url() if extra else ""))
    return crumbs(*trail, *extra)


@access_required(permissions.can_read)
def organisation_list(request):
    filterset = selectors.organisation_filterset(user=request.user, data=request.GET)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "plaidoyer/organisations/list.html",
        {
            "filter": filterset,
            "sort": current_sort(filterset),
            "page_obj": page,
            "has_filters": has_filters(request),
            "can_write": permissions.can_write(request.user),
            "crumbs": crumbs((_("Organisations"), "")),
        },
    )


@access_required(permissions.can_read)
@object_access(load_organisation)
def organisation_detail(request, organisation, pk: int):
    stakeholders = list(
        organisation.stakeholders.select_related("country", "owner").order_by("full_name")[:200]
    )
    interactions = paginate(
        request, selectors.organisation_interactions(request.user, organisation), 20
    )
    return render(
        request,
        "plaidoyer/organisations/detail.html",
        {
            "organisation": organisation,
            "stakeholders": stakeholders,
            "page_obj": interactions,
            "coalitions": list(organisation.coalitions.order_by("name")),
            "can_edit": permissions.can_edit(request.user, organisation),
            "crumbs": _trail(organisation),
        },
    )


@access_required(permissions.can_write)
def organisation_create(request):
    form = OrganisationForm(
        request.POST or None, countries=selectors.countries_managed_by(request.user)
    )
    if request.method == "POST" and form.is_valid():
        organisation = run_service(
            form,
            lambda: services.organisation_create(
                user=request.user, data=form.cleaned_data, request=request
            ),
        )
        if organisation is not None:
            messages.success(request, _("Organisation ajoutée."))
            return redirect(organisation)
    return form_page(
        request,
        form=form,
        title=_("Nouvelle organisation"),
        trail=_trail(None, (_("Nouvelle"), "")),
        cancel_url=reverse("plaidoyer:organisations"),
    )


@access_required(permissions.can_write)
@object_access(load_organisation, permissions.can_edit)
def organisation_edit(request, organisation, pk: int):
    form = OrganisationForm(
        request.POST or None,
        instance=organisation,
        countries=selectors.countries_managed_by(request.user),
    )
    if request.method == "POST" and form.is_valid():
        organisation.refresh_from_db()
        if (
            run_service(
                form,
                lambda: services.organisation_update(
                    organisation=organisation,
                    user=request.user,
                    data=form.cleaned_data,
                    request=request,
                ),
            )
            is not None
        ):
            messages.success(request, _("Organisation enregistrée."))
            return redirect(organisation)
    return form_page(
        request,
        form=form,
        title=_("Modifier l'organisation"),
        trail=_trail(organisation, (_("Modifier"), "")),
        cancel_url=organisation.get_absolute_url(),
    )


@access_required(permissions.can_write)
@object_access(load_organisation, permissions.can_edit)
def organisation_delete(request, organisation, pk: int):
    blockers = services.organisation_delete_blockers(organisation)
    error = ""
    if request.method == "POST":
        try:
            services.organisation_delete(
                organisation=organisation, user=request.user, request=request
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Organisation supprimée."))
            return redirect("plaidoyer:organisations")
    if blockers and not error:
        error = _(
            "Cette organisation ne peut pas être supprimée : %(n)s interlocuteur(s) y sont "
            "rattachés ou elle a signé des déclarations. Archivez-la plutôt : elle disparaîtra "
            "des listes sans rien perdre de son historique."
        ) % {"n": blockers.get("stakeholders", 0)}
    return render(
        request,
        "plaidoyer/organisations/delete.html",
        {
            "organisation": organisation,
            "blockers": blockers,
            "error": error,
            "crumbs": _trail(organisation, (_("Supprimer"), "")),
        },
        status=400 if error and request.method == "POST" else 200,
    )


@require_POST
@access_required(permissions.can_write)
@object_access(load_organisation, permissions.can_edit)
def organisation_archive(request, organisation, pk: int):
    archived = request.POST.get("archived", "1") == "1"
    services.organisation_archive(
        organisation=organisation, user=request.user, archived=archived, request=request
    )
    messages.success(
        request, _("Organisation archivée.") if archived else _("Organisation rétablie.")
    )
    return redirect(organisation)
