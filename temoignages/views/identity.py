"""The identity register from a testimony: link a person, reveal (coordinators, audited)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from core.forms import add_service_errors
from core.permissions import access_required, object_access

from .. import permissions, services
from ..forms.records import IdentityForm
from ..models import Testimony
from .records import crumbs, detail_url, scoped_testimony


@access_required(permissions.can_review)
@object_access(scoped_testimony)
def identity_reveal_view(request, testimony: Testimony, pk: int):
    """GET asks for confirmation; POST reveals once, audited, never cached."""
    identity = None
    if request.method == "POST":
        identity = services.identity_reveal(testimony=testimony, user=request.user, request=request)
        if identity is None:
            messages.info(request, _("Aucune identité n'est enregistrée pour ce témoignage."))
            return redirect(detail_url(testimony))
    response = render(
        request,
        "temoignages/identity_reveal.html",
        {
            "testimony": testimony,
            "identity": identity,
            "crumbs": crumbs(testimony, (_("Identité"), "")),
        },
    )
    add_never_cache_headers(response)
    return response


@object_access(scoped_testimony, permissions.can_edit_content)
def identity_edit_view(request, testimony: Testimony, pk: int):
    """Link the testimony to the identity register (new person or existing pseudonym)."""
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.testimony_identity_set(
                testimony=testimony,
                user=request.user,
                full_name=form.cleaned_data["full_name"],
                contact=form.cleaned_data["contact"],
                pseudonym=form.cleaned_data["pseudonym"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Identité enregistrée sous le pseudonyme %(p)s (chiffrée).")
                % {"p": person.pseudonym},
            )
            return redirect(detail_url(testimony))
    response = render(
        request,
        "temoignages/identity_form.html",
        {"testimony": testimony, "form": form, "crumbs": crumbs(testimony, (_("Identité"), ""))},
    )
    add_never_cache_headers(response)
    return response
