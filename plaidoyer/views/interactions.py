"""Interactions (the list, one exchange, create, edit, delete), their follow-ups (the list
of what we owe, tick done), and positions noted on a stakeholder's page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.filters import current_sort
from core.permissions import access_required, object_access

from .. import permissions, selectors, services
from ..forms import FollowUpForm, InteractionForm, PositionForm
from .common import (
    confirm_page,
    crumbs,
    form_page,
    has_filters,
    load_follow_up,
    load_interaction,
    load_position,
    load_stakeholder,
    paginate,
    run_service,
)


def _trail(interaction=None, *extra):
    trail = [(_("Échanges"), reverse("plaidoyer:interactions"))]
    if interaction is not None:
        trail.append((interaction.title, interaction.get_absolute_url() if extra else ""))
    return crumbs(*trail, *extra)


@access_required(permissions.can_read)
def interaction_list(request):
    filterset = selectors.interaction_filterset(user=request.user, data=request.GET)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "plaidoyer/interactions/list.html",
        {
            "filter": filterset,
            "sort": current_sort(filterset),
            "page_obj": page,
            "has_filters": has_filters(request),
            "can_write": permissions.can_write(request.user),
            "crumbs": crumbs((_("Échanges"), "")),
        },
    )


@access_required(permissions.can_read)
@object_access(load_interaction)
def interaction_detail(request, interaction, pk: int):
    can_edit = permissions.can_edit(request.user, interaction)
    return render(
        request,
        "plaidoyer/interactions/detail.html",
        {
            "interaction": interaction,
            "can_edit": can_edit,
            "follow_up_form": FollowUpForm() if can_edit else None,
            "crumbs": _trail(interaction),
        },
    )


def _form(request, instance=None, initial=None):
    user = request.user
    return InteractionForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        countries=selectors.countries_managed_by(user),
        stakeholders=selectors.stakeholders_visible_to(user),
        organisations=selectors.organisations_visible_to(user).order_by("name"),
        coalitions=selectors.coalitions_visible_to(user).order_by("name"),
        with_follow_up=instance is None,
    )


def _searching(request) -> bool:
    """The picker's "Chercher" button: show the form again with the people found."""
    return request.method == "POST" and "find" in request.POST


@access_required(permissions.can_write)
def interaction_create(request):
    initial = {}
    person = request.GET.get("stakeholder", "")
    if person.isdigit():
        found = selectors.stakeholders_visible_to(request.user).filter(pk=person).first()
        if found is not None:
            initial = {"stakeholders": [found.pk], "country": found.country_id}
    coalition = request.GET.get("coalition", "")
    if coalition.isdigit():
        initial["coalition"] = coalition
    form = _form(request, initial=initial)
    if request.method == "POST" and not _searching(request) and form.is_valid():
        data, follow_ups = form.split()
        interaction = run_service(
            form,
            lambda: services.interaction_create(
                user=request.user, data=data, follow_ups=follow_ups, request=request
            ),
        )
        if interaction is not None:
            messages.success(request, _("Échange enregistré."))
            return redirect(interaction)
    return render(
        request,
        "plaidoyer/form_with_pickers.html",
        {
            "form": form,
            "title": _("Nouvel échange"),
            "crumbs": _trail(None, (_("Nouveau"), "")),
            "cancel_url": reverse("plaidoyer:interactions"),
        },
        status=400 if form.is_bound and form.errors and not _searching(request) else 200,
    )


@access_required(permissions.can_write)
@object_access(load_interaction, permissions.can_edit)
def interaction_edit(request, interaction, pk: int):
    form = _form(request, interaction)
    if (
        request.method == "POST"
        and not _searching(request)
        and form.is_valid()
        and (
            run_service(
                form,
                lambda: services.interaction_update(
                    interaction=interaction,
                    user=request.user,
                    data=form.cleaned_data,
                    request=request,
                ),
            )
            is not None
        )
    ):
        messages.success(request, _("Échange enregistré."))
        return redirect(interaction)
    return render(
        request,
        "plaidoyer/form_with_pickers.html",
        {
            "form": form,
            "title": _("Modifier l'échange"),
            "crumbs": _trail(interaction, (_("Modifier"), "")),
            "cancel_url": interaction.get_absolute_url(),
        },
        status=400 if form.is_bound and form.errors and not _searching(request) else 200,
    )


@access_required(permissions.can_write)
@object_access(load_interaction, permissions.can_edit)
def interaction_delete(request, interaction, pk: int):
    if request.method == "POST":
        services.interaction_delete(interaction=interaction, user=request.user, request=request)
        messages.success(request, _("Échange supprimé."))
        return redirect("plaidoyer:interactions")
    return confirm_page(
        request,
        title=_("Supprimer l'échange « %(title)s » ?") % {"title": interaction.title},
        consequences=_(
            "Ses suites à donner sont supprimées avec lui ; les positions notées lors de cet "
            "échange sont conservées sans lien vers lui."
        ),
        action_url=reverse("plaidoyer:interaction_delete", args=[interaction.pk]),
        cancel_url=interaction.get_absolute_url(),
        trail=_trail(interaction, (_("Supprimer"), "")),
    )


# --- Follow-ups ---------------------------------------------------------------------------


@access_required(permissions.can_read)
def follow_up_list(request):
    filterset = selectors.follow_up_filterset(user=request.user, data=request.GET)
    page = paginate(request, filterset.qs)
    for follow_up in page.object_list:
        follow_up.can_mark = permissions.can_edit_follow_up(request.user, follow_up)
    return render(
        request,
        "plaidoyer/interactions/follow_ups.html",
        {
            "filter": filterset,
            "sort": current_sort(filterset),
            "page_obj": page,
            "has_filters": has_filters(request),
            "crumbs": crumbs((_("Suites à donner"), "")),
        },
    )


@require_POST
@access_required(permissions.can_write)
@object_access(load_interaction, permissions.can_edit)
def follow_up_create(request, interaction, pk: int):
    form = FollowUpForm(request.POST)
    if form.is_valid() and run_service(
        form,
        lambda: services.follow_up_create(
            interaction=interaction, user=request.user, data=form.cleaned_data, request=request
        ),
    ):
        messages.success(request, _("Suite à donner ajoutée."))
        return redirect(interaction.get_absolute_url() + "#suites")
    return form_page(
        request,
        form=form,
        title=_("Nouvelle suite à donner"),
        intro=interaction.title,
        trail=_trail(interaction, (_("Suite à donner"), "")),
        cancel_url=interaction.get_absolute_url(),
    )


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/plaidoyer/") else fallback


@require_POST
@access_required(permissions.can_read)
@object_access(load_follow_up, permissions.can_edit_follow_up)
def follow_up_mark(request, follow_up, pk: int):
    done = request.POST.get("done", "1") == "1"
    services.follow_up_mark(follow_up=follow_up, user=request.user, done=done, request=request)
    messages.success(request, _("Suite notée comme faite.") if done else _("Suite rouverte."))
    return redirect(_back(request, follow_up.interaction.get_absolute_url() + "#suites"))


@require_POST
@access_required(permissions.can_write)
@object_access(load_follow_up, lambda user, f: permissions.can_edit(user, f.interaction))
def follow_up_delete(request, follow_up, pk: int):
    services.follow_up_delete(follow_up=follow_up, user=request.user, request=request)
    messages.success(request, _("Suite à donner supprimée."))
    return redirect(follow_up.interaction.get_absolute_url() + "#suites")


# --- Positions ----------------------------------------------------------------------------


@access_required(permissions.can_write)
@object_access(load_stakeholder, permissions.can_edit)
def position_create(request, stakeholder, pk: int):
    from veille.selectors import items_visible_to

    form = PositionForm(
        request.POST or None,
        interactions=selectors.interactions_visible_to(request.user)
        .filter(stakeholders=stakeholder)
        .order_by("-occurred_on"),
        items=items_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        position = run_service(
            form,
            lambda: services.position_create(
                stakeholder=stakeholder,
                user=request.user,
                data=form.service_data(),
                request=request,
            ),
        )
        if position is not None:
            messages.success(request, _("Position notée."))
            return redirect(stakeholder.get_absolute_url() + "?tab=positions")
    return form_page(
        request,
        form=form,
        title=_("Noter une position"),
        intro=stakeholder.full_name,
        trail=crumbs(
            (_("Interlocuteurs"), reverse("plaidoyer:stakeholders")),
            (stakeholder.full_name, stakeholder.get_absolute_url()),
            (_("Position"), ""),
        ),
        cancel_url=stakeholder.get_absolute_url() + "?tab=positions",
    )


@require_POST
@access_required(permissions.can_write)
@object_access(load_position, permissions.can_edit_position)
def position_delete(request, position, pk: int):
    services.position_delete(position=position, user=request.user, request=request)
    messages.success(request, _("Position supprimée."))
    return redirect(position.stakeholder.get_absolute_url() + "?tab=positions")
