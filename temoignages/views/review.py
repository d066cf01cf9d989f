"""Review by coordinators: take, approve, send back, write the external version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.scoping import coordinator_required

from .. import services
from ..forms.records import ExternalVersionForm, RejectForm
from .records import crumbs, detail_url, scoped_testimony


@require_POST
@coordinator_required
def review_start_view(request, pk: int):
    testimony = scoped_testimony(request, pk)
    try:
        services.review_start(testimony=testimony, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Relecture commencée."))
    return redirect(detail_url(testimony))


@require_POST
@coordinator_required
def review_approve_view(request, pk: int):
    testimony = scoped_testimony(request, pk)
    try:
        services.review_approve(testimony=testimony, user=request.user)
    except ValidationError as exc:
        messages.error(
            request, _("Approbation impossible : %(why)s") % {"why": " ".join(exc.messages)}
        )
    else:
        messages.success(request, _("Témoignage approuvé pour utilisation."))
    return redirect(detail_url(testimony))


@coordinator_required
def review_reject_view(request, pk: int):
    testimony = scoped_testimony(request, pk)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_reject(
                testimony=testimony, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Témoignage renvoyé à l'agent·e de terrain."))
            return redirect(detail_url(testimony))
    return render(
        request,
        "temoignages/review_reject.html",
        {
            "testimony": testimony,
            "form": form,
            "crumbs": crumbs(testimony, (_("Renvoyer pour correction"), "")),
        },
    )


@coordinator_required
def external_version_view(request, pk: int):
    testimony = scoped_testimony(request, pk)
    form = ExternalVersionForm(request.POST or None, testimony=testimony)
    if request.method == "POST" and form.is_valid():
        try:
            services.external_version_update(
                testimony=testimony,
                user=request.user,
                external_text=form.cleaned_data["external_text"],
                extracts=form.extract_wordings(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Version externe enregistrée."))
            return redirect(detail_url(testimony, "externe"))
    return render(
        request,
        "temoignages/external_form.html",
        {
            "testimony": testimony,
            "form": form,
            "crumbs": crumbs(testimony, (_("Version externe"), "")),
        },
    )
