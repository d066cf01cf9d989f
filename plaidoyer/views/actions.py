"""Advocacy actions: the board and the filterable list, one action's page, create, edit,
move along the workflow, delete; evidence (veille items, testimonies through the gate)
and deliverables."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.files import private_file_response
from core.filters import current_sort
from core.permissions import access_required, object_access
from core.scoping import get_scoped_object_or_404

from .. import permissions, selectors, services
from ..forms import ActionForm, DeliverableForm
from ..models import AdvocacyAction
from .common import (
    confirm_page,
    crumbs,
    has_filters,
    load_action,
    load_action_detail,
    load_action_item,
    load_action_testimony,
    load_deliverable,
    paginate,
    run_service,
)


def _trail(action=None, *extra):
    trail = [(_("Actions"), reverse("plaidoyer:actions"))]
    if action is not None:
        trail.append((action.title, action.get_absolute_url() if extra else ""))
    return crumbs(*trail, *extra)


@access_required(permissions.can_read)
def action_board(request):
    columns, filterset, cancelled = selectors.action_board(user=request.user, data=request.GET)
    return render(
        request,
        "plaidoyer/actions/board.html",
        {
            "columns": columns,
            "filter": filterset,
            "cancelled": cancelled,
            "has_filters": has_filters(request),
            "can_write": permissions.can_write(request.user),
            "crumbs": crumbs((_("Tableau des actions"), "")),
        },
    )


@access_required(permissions.can_read)
def action_list(request):
    filterset = selectors.action_filterset(user=request.user, data=request.GET)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "plaidoyer/actions/list.html",
        {
            "filter": filterset,
            "sort": current_sort(filterset),
            "page_obj": page,
            "has_filters": has_filters(request),
            "can_write": permissions.can_write(request.user),
            "crumbs": crumbs((_("Actions"), "")),
        },
    )


@access_required(permissions.can_read)
@object_access(load_action_detail)
def action_detail(request, action, pk: int):
    evidence = selectors.testimony_evidence(request.user, action)
    can_edit = permissions.can_edit(request.user, action)
    labels = dict(AdvocacyAction.Status.choices)
    return render(
        request,
        "plaidoyer/actions/detail.html",
        {
            "action": action,
            "testimonies": evidence,
            "lapsed": [e for e in evidence if e.lapsed],
            "can_edit": can_edit,
            "transitions": [
                (status, labels[status]) for status in AdvocacyAction.TRANSITIONS[action.status]
            ]
            if can_edit
            else [],
            "deliverable_form": DeliverableForm() if can_edit else None,
            "budget_warning": services.budget_warning(action),
            "crumbs": _trail(action),
        },
    )


def _form(request, instance=None, initial=None):
    user = request.user
    return ActionForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        countries=selectors.countries_managed_by(user),
        stakeholders=selectors.stakeholders_visible_to(user),
        organisations=selectors.organisations_visible_to(user).order_by("name"),
        budget_lines=selectors.budget_lines_visible_to(user).order_by("-year", "name"),
    )


def _searching(request) -> bool:
    return request.method == "POST" and "find" in request.POST


def _form_page(request, form, *, title, trail, cancel_url):
    return render(
        request,
        "plaidoyer/form_with_pickers.html",
        {"form": form, "title": title, "crumbs": trail, "cancel_url": cancel_url},
        status=400 if form.is_bound and form.errors and not _searching(request) else 200,
    )


@access_required(permissions.can_write)
def action_create(request):
    initial = {"owner": request.user.pk}  # who creates an action usually carries it
    objective = request.GET.get("objective", "")
    if objective.isdigit():
        initial["objective"] = objective
    form = _form(request, initial=initial)
    if request.method == "POST" and not _searching(request) and form.is_valid():
        action = run_service(
            form,
            lambda: services.action_create(
                user=request.user, data=form.cleaned_data, request=request
            ),
        )
        if action is not None:
            messages.success(request, _("Action créée."))
            warning = services.budget_warning(action)
            if warning:
                messages.warning(request, warning)
            return redirect(action)
    return _form_page(
        request,
        form,
        title=_("Nouvelle action"),
        trail=_trail(None, (_("Nouvelle"), "")),
        cancel_url=reverse("plaidoyer:actions"),
    )


@access_required(permissions.can_write)
@object_access(load_action, permissions.can_edit)
def action_edit(request, action, pk: int):
    form = _form(request, action)
    if request.method == "POST" and not _searching(request) and form.is_valid():
        changed = run_service(
            form,
            lambda: services.action_update(
                action=action, user=request.user, data=form.cleaned_data, request=request
            ),
        )
        if changed is not None:
            messages.success(request, _("Action enregistrée."))
            warning = services.budget_warning(action)
            if warning:
                messages.warning(request, warning)
            return redirect(action)
    return _form_page(
        request,
        form,
        title=_("Modifier l'action"),
        trail=_trail(action, (_("Modifier"), "")),
        cancel_url=action.get_absolute_url(),
    )


@require_POST
@access_required(permissions.can_write)
@object_access(load_action, permissions.can_edit)
def action_status(request, action, pk: int):
    try:
        action = services.action_transition(
            action=action, user=request.user, status=request.POST.get("status", ""), request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Statut : %(status)s.") % {"status": action.get_status_display()}
        )
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/plaidoyer/") else action.get_absolute_url())


@access_required(permissions.can_write)
@object_access(load_action, permissions.can_edit)
def action_delete(request, action, pk: int):
    error = ""
    if request.method == "POST":
        try:
            services.action_delete(action=action, user=request.user, request=request)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Action supprimée."))
            return redirect("plaidoyer:actions")
    return confirm_page(
        request,
        title=_("Supprimer l'action « %(title)s » ?") % {"title": action.title},
        consequences=_(
            "Ses preuves, ses livrables et son budget disparaissent avec elle. Pour garder une "
            "trace, annulez-la plutôt."
        ),
        action_url=reverse("plaidoyer:action_delete", args=[action.pk]),
        cancel_url=action.get_absolute_url(),
        trail=_trail(action, (_("Supprimer"), "")),
        error=error,
    )


# --- Evidence: veille items ---------------------------------------------------------------


def _posted(request, scoped, field: str):
    """The object picked in the form, from the user's scoped queryset: a 404 when it is
    missing, audited when it exists out of the user's scope (a testimony they may not
    see), like any object out of scope."""
    pk = request.POST.get(field, "")
    if not pk.isdigit():
        raise Http404
    return get_scoped_object_or_404(request, scoped, pk=pk)


@access_required(permissions.can_write)
@object_access(load_action, permissions.can_edit)
def action_items(request, action, pk: int):
    """Find veille articles (the inbox's search) and cite them as evidence."""
    from veille.selectors import items_visible_to
    from veille.selectors.search import text_match

    if request.method == "POST":
        item = _posted(request, items_visible_to(request.user), "item")
        services.action_item_add(
            action=action,
            item=item,
            user=request.user,
            note=request.POST.get("note", ""),
            request=request,
        )
        messages.success(request, _("Article ajouté aux preuves."))
        return redirect(action.get_absolute_url() + "#preuves")
    query = request.GET.get("q", "").strip()
    found = []
    if query:
        found = list(
            items_visible_to(request.user)
            .filter(text_match(query))
            .select_related("source")
            .order_by("-published_at", "-pk")[:20]
        )
    cited = set(action.items.values_list("item_id", flat=True))
    return render(
        request,
        "plaidoyer/actions/items.html",
        {
            "action": action,
            "query": query,
            "found": found,
            "cited": cited,
            "crumbs": _trail(action, (_("Citer un article"), "")),
        },
    )


@require_POST
@access_required(permissions.can_write)
@object_access(load_action_item, lambda user, e: permissions.can_edit(user, e.action))
def action_item_remove(request, evidence, pk: int, item_pk: int):
    services.action_item_remove(evidence=evidence, user=request.user, request=request)
    messages.success(request, _("Article retiré des preuves."))
    return redirect(evidence.action.get_absolute_url() + "#preuves")


# --- Evidence: testimonies ----------------------------------------------------------------


@access_required(permissions.can_write)
@object_access(load_action, permissions.can_edit)
def action_testimonies(request, action, pk: int):
    """The testimonies the gate allows today for the action's audience, in the user's
    scope; attaching one asks the gate again and records the use."""
    from temoignages.models import UsableExtract
    from temoignages.selectors import testimonies_visible_to, usable_testimonies

    if request.method == "POST":
        testimony = _posted(
            request,
            testimonies_visible_to(request.user).select_related("site", "current_consent"),
            "testimony",
        )
        extract = None
        if request.POST.get("extract", "").isdigit():
            extract = UsableExtract.objects.filter(
                testimony=testimony, pk=request.POST["extract"]
            ).first()
        try:
            services.action_testimony_attach(
                action=action,
                testimony=testimony,
                extract=extract,
                user=request.user,
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(reverse("plaidoyer:action_testimonies", args=[action.pk]))
        messages.success(
            request,
            _("Témoignage %(ref)s joint ; son utilisation est enregistrée.")
            % {"ref": testimony.reference},
        )
        return redirect(action.get_absolute_url() + "#preuves")
    query = request.GET.get("q", "").strip()
    candidates = usable_testimonies(request.user, action.audience).prefetch_related(
        "themes", "extracts"
    )
    if query:
        candidates = candidates.filter(reference__icontains=query)
    page = paginate(request, candidates.order_by("-collected_on", "-pk"), 20)
    attached = set(action.testimonies.values_list("testimony_id", "extract_id"))
    return render(
        request,
        "plaidoyer/actions/testimonies.html",
        {
            "action": action,
            "query": query,
            "page_obj": page,
            "attached": attached,
            "crumbs": _trail(action, (_("Joindre un témoignage"), "")),
        },
    )


@require_POST
@access_required(permissions.can_write)
@object_access(load_action_testimony, lambda user, e: permissions.can_edit(user, e.action))
def action_testimony_remove(request, evidence, pk: int, evidence_pk: int):
    services.action_testimony_remove(evidence=evidence, user=request.user, request=request)
    messages.success(
        request, _("Témoignage retiré des preuves ; son utilisation passée reste enregistrée.")
    )
    return redirect(evidence.action.get_absolute_url() + "#preuves")


# --- Deliverables -------------------------------------------------------------------------


@require_POST
@access_required(permissions.can_write)
@object_access(load_action, permissions.can_edit)
def deliverable_upload(request, action, pk: int):
    form = DeliverableForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.deliverable_upload(
                action=action,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                user=request.user,
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Livrable ajouté."))
    else:
        messages.error(request, _("Choisissez un fichier."))
    return redirect(action.get_absolute_url() + "#livrables")


@access_required(permissions.can_read)
@object_access(load_deliverable)
def deliverable_download(request, deliverable, pk: int):
    return private_file_response(
        request,
        name=deliverable.file_name,
        filename=deliverable.original_name,
        content_type=deliverable.content_type,
        audit_obj=deliverable,
    )


@require_POST
@access_required(permissions.can_write)
@object_access(load_deliverable, lambda user, d: permissions.can_edit(user, d.action))
def deliverable_delete(request, deliverable, pk: int):
    services.deliverable_delete(deliverable=deliverable, user=request.user, request=request)
    messages.success(request, _("Livrable supprimé."))
    return redirect(deliverable.action.get_absolute_url() + "#livrables")
