"""Coalitions and working groups: the list, a coalition's page (members, representative,
mandate, meetings, joint statements), and statements with their per-member sign-off."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.filters import current_sort
from core.permissions import access_required, object_access

from .. import permissions, selectors, services
from ..forms import CoalitionForm, StatementForm
from ..models import StatementSignature
from .common import (
    crumbs,
    form_page,
    has_filters,
    load_coalition,
    load_signature,
    load_statement,
    paginate,
    run_service,
)


def _trail(coalition=None, *extra):
    trail = [(_("Coalitions"), reverse("plaidoyer:coalitions"))]
    if coalition is not None:
        trail.append((coalition.name, coalition.get_absolute_url()))
    return crumbs(*trail, *extra)


@access_required(permissions.can_read)
def coalition_list(request):
    filterset = selectors.coalition_filterset(user=request.user, data=request.GET)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "plaidoyer/coalitions/list.html",
        {
            "filter": filterset,
            "sort": current_sort(filterset),
            "page_obj": page,
            "has_filters": has_filters(request),
            "can_write": permissions.can_write(request.user),
            "crumbs": crumbs((_("Coalitions"), "")),
        },
    )


@access_required(permissions.can_read)
@object_access(load_coalition)
def coalition_detail(request, coalition, pk: int):
    return render(
        request,
        "plaidoyer/coalitions/detail.html",
        {
            "coalition": coalition,
            "statements": selectors.coalition_statements(coalition),
            "page_obj": paginate(
                request, selectors.coalition_meetings(request.user, coalition), 10
            ),
            "can_edit": permissions.can_edit(request.user, coalition),
            "today": timezone.localdate(),
            "crumbs": crumbs(
                (_("Coalitions"), reverse("plaidoyer:coalitions")), (coalition.name, "")
            ),
        },
    )


def _form(request, instance=None):
    return CoalitionForm(
        request.POST or None,
        instance=instance,
        countries=selectors.countries_managed_by(request.user),
        organisations=selectors.organisations_visible_to(request.user).order_by("name"),
    )


@access_required(permissions.can_write)
def coalition_create(request):
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        coalition = run_service(
            form,
            lambda: services.coalition_create(
                user=request.user, data=form.cleaned_data, request=request
            ),
        )
        if coalition is not None:
            messages.success(request, _("Coalition ajoutée."))
            return redirect(coalition)
    return form_page(
        request,
        form=form,
        title=_("Nouvelle coalition"),
        trail=_trail(None, (_("Nouvelle"), "")),
        cancel_url=reverse("plaidoyer:coalitions"),
    )


@access_required(permissions.can_write)
@object_access(load_coalition, permissions.can_edit)
def coalition_edit(request, coalition, pk: int):
    form = _form(request, coalition)
    if request.method == "POST" and form.is_valid():
        changed = run_service(
            form,
            lambda: services.coalition_update(
                coalition=coalition, user=request.user, data=form.cleaned_data, request=request
            ),
        )
        if changed is not None:
            messages.success(request, _("Coalition enregistrée."))
            return redirect(coalition)
    return form_page(
        request,
        form=form,
        title=_("Modifier la coalition"),
        trail=_trail(coalition, (_("Modifier"), "")),
        cancel_url=coalition.get_absolute_url(),
    )


# --- Joint statements ---------------------------------------------------------------------


@access_required(permissions.can_write)
@object_access(load_coalition, permissions.can_edit)
def statement_create(request, coalition, pk: int):
    form = StatementForm(request.POST or None, initial={"status": "sign_off"})
    if request.method == "POST" and form.is_valid():
        statement = run_service(
            form,
            lambda: services.statement_create(
                coalition=coalition, user=request.user, data=form.cleaned_data, request=request
            ),
        )
        if statement is not None:
            messages.success(
                request, _("Déclaration créée ; les membres sont invités à la signer.")
            )
            return redirect(statement)
    return form_page(
        request,
        form=form,
        title=_("Nouvelle déclaration commune"),
        intro=coalition.name,
        trail=_trail(coalition, (_("Nouvelle déclaration"), "")),
        cancel_url=coalition.get_absolute_url(),
    )


@access_required(permissions.can_read)
@object_access(load_statement)
def statement_detail(request, statement, pk: int):
    signatures = list(statement.signatures.all())
    counts = {
        status: sum(1 for s in signatures if s.status == status)
        for status in StatementSignature.Status.values
    }
    return render(
        request,
        "plaidoyer/coalitions/statement.html",
        {
            "statement": statement,
            "signatures": signatures,
            "counts": counts,
            "late": statement.deadline < timezone.localdate()
            and statement.status in ("draft", "sign_off"),
            "choices": StatementSignature.Status.choices,
            "can_edit": permissions.can_edit_statement(request.user, statement),
            "crumbs": _trail(statement.coalition, (statement.title, "")),
        },
    )


@access_required(permissions.can_write)
@object_access(load_statement, permissions.can_edit_statement)
def statement_edit(request, statement, pk: int):
    form = StatementForm(request.POST or None, instance=statement)
    if request.method == "POST" and form.is_valid():
        changed = run_service(
            form,
            lambda: services.statement_update(
                statement=statement, user=request.user, data=form.cleaned_data, request=request
            ),
        )
        if changed is not None:
            messages.success(request, _("Déclaration enregistrée."))
            return redirect(statement)
    return form_page(
        request,
        form=form,
        title=_("Modifier la déclaration"),
        trail=_trail(
            statement.coalition,
            (statement.title, statement.get_absolute_url()),
            (_("Modifier"), ""),
        ),
        cancel_url=statement.get_absolute_url(),
    )


@require_POST
@access_required(permissions.can_write)
@object_access(load_signature, lambda user, s: permissions.can_edit_statement(user, s.statement))
def signature_update(request, signature, pk: int, signature_pk: int):
    try:
        services.signature_set(
            signature=signature,
            user=request.user,
            status=request.POST.get("status", ""),
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(org)s : %(status)s.")
            % {"org": signature.organisation.name, "status": signature.get_status_display()},
        )
    return redirect(signature.statement)
