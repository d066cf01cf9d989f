"""Review by coordinators: take, approve, send back, write the external version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.permissions import access_required, object_access

from .. import services
from ..forms.records import ExternalVersionForm, RejectForm
from ..models import Testimony
from ..permissions import can_review
from .records import crumbs, detail_url, scoped_testimony


@require_POST
@access_required(can_review)
@object_access(scoped_testimony)
def review_start_view(request, testimony: Testimony, pk: int):
    try:
        services.review_start(testimony=testimony, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Relecture commencée."))
    return redirect(detail_url(testimony))


@require_POST
@access_required(can_review)
@object_access(scoped_testimony)
def review_approve_view(request, testimony: Testimony, pk: int):
    try:
        services.review_approve(testimony=testimony, user=request.user)
    except ValidationError as exc:
        messages.error(
            request, _("Approbation impossible : %(why)s") % {"why": " ".join(exc.messages)}
        )
    else:
        messages.success(request, _("Témoignage approuvé pour utilisation."))
    return redirect(detail_url(testimony))


@access_required(can_review)
@object_access(scoped_testimony)
def review_reject_view(request, testimony: Testimony, pk: int):
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


@access_required(can_review)
@object_access(scoped_testimony)
def external_version_view(request, testimony: Testimony, pk: int):
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
