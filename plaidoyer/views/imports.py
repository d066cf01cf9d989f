"""Importing stakeholders from a spreadsheet: upload, preview with every line's errors,
then import all lines or none. The uploaded file waits in private storage between the
preview and the confirmation (its name is kept in the session, never in the page)."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.files import private_delete, private_name, private_path, private_write
from core.permissions import access_required

from .. import permissions, services
from ..spreadsheet import MAX_BYTES
from .common import crumbs

SESSION_KEY = "plaidoyer_imports"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier CSV ou Excel (.xlsx)"),
        help_text=gettext_lazy(
            "Une ligne par personne, les noms de colonnes sur la première ligne."
        ),
    )


def _trail():
    return crumbs(
        (_("Interlocuteurs"), reverse("plaidoyer:stakeholders")), (_("Importer un tableur"), "")
    )


def _page(request, *, form, plan=None, token="", filename="", error="", status=200):
    return render(
        request,
        "plaidoyer/imports/import.html",
        {
            "form": form,
            "plan": plan,
            "token": token,
            "filename": filename,
            "error": error,
            "columns": services.expected_columns(),
            "crumbs": _trail(),
        },
        status=status,
    )


@access_required(permissions.can_import)
def stakeholder_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form=form, status=400 if form.is_bound else 200)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_BYTES:
        form.add_error("file", _("Le fichier dépasse 5 Mo : découpez-le en plusieurs imports."))
        return _page(request, form=form, status=400)
    data = b"".join(upload.chunks())
    plan = services.import_plan_from_file(user=request.user, name=upload.name, data=data)
    token = ""
    if plan.ok:
        token = uuid.uuid4().hex
        stored = private_write(private_name("plaidoyer/imports", ".bin"), data)
        pending = request.session.get(SESSION_KEY, {})
        for old in list(pending.values())[:-4]:
            private_delete(old["name"])
        pending = dict(list(pending.items())[-4:])
        pending[token] = {"name": stored, "filename": upload.name[:200]}
        request.session[SESSION_KEY] = pending
    return _page(
        request,
        form=ImportForm(),
        plan=plan,
        token=token,
        filename=upload.name,
        status=200 if plan.ok else 400,
    )


@require_POST
@access_required(permissions.can_import)
def stakeholder_import_confirm(request, token: str):
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.get(token)
    if entry is None:
        raise Http404
    try:
        data = private_path(entry["name"]).read_bytes()
    except (ValueError, OSError):
        raise Http404 from None
    try:
        people, organisations = services.stakeholders_import(
            user=request.user, name=entry["filename"], data=data, request=request
        )
    except ValidationError as exc:
        plan = services.import_plan_from_file(user=request.user, name=entry["filename"], data=data)
        return _page(
            request,
            form=ImportForm(),
            plan=plan,
            filename=entry["filename"],
            error=" ".join(exc.messages),
            status=400,
        )
    private_delete(entry["name"])
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    messages.success(
        request,
        _("%(people)s interlocuteur(s) importé(s), %(orgs)s organisation(s) créée(s).")
        % {"people": people, "orgs": organisations},
    )
    return redirect("plaidoyer:stakeholders")
