"""Outcomes (what changed, who changed, our contribution; ticking objectives' progress
markers) and lessons learned (searchable)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.filters import current_sort
from core.permissions import access_required, object_access

from .. import permissions, selectors, services
from ..forms import LessonForm, OutcomeForm
from .common import crumbs, has_filters, load_lesson, load_outcome, paginate, run_service


def _searching(request) -> bool:
    return request.method == "POST" and "find" in request.POST


def _page(request, form, *, title, trail, cancel_url):
    return render(
        request,
        "plaidoyer/form_with_pickers.html",
        {"form": form, "title": title, "crumbs": trail, "cancel_url": cancel_url},
        status=400 if form.is_bound and form.errors and not _searching(request) else 200,
    )


# --- Outcomes -----------------------------------------------------------------------------


def _outcome_trail(outcome=None, *extra):
    trail = [(_("Résultats"), reverse("plaidoyer:outcomes"))]
    if outcome is not None:
        trail.append((outcome.title, outcome.get_absolute_url() if extra else ""))
    return crumbs(*trail, *extra)


@access_required(permissions.can_read)
def outcome_list(request):
    filterset = selectors.outcome_filterset(user=request.user, data=request.GET)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "plaidoyer/outcomes/list.html",
        {
            "filter": filterset,
            "sort": current_sort(filterset),
            "page_obj": page,
            "has_filters": has_filters(request),
            "can_write": permissions.can_write(request.user),
            "crumbs": crumbs((_("Résultats"), "")),
        },
    )


@access_required(permissions.can_read)
@object_access(load_outcome)
def outcome_detail(request, outcome, pk: int):
    return render(
        request,
        "plaidoyer/outcomes/detail.html",
        {
            "outcome": outcome,
            "markers": selectors.outcome_markers(outcome),
            "can_edit": permissions.can_edit(request.user, outcome),
            "crumbs": _outcome_trail(outcome),
        },
    )


def _outcome_form(request, instance=None, initial=None):
    user = request.user
    return OutcomeForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        countries=selectors.countries_managed_by(user),
        stakeholders=selectors.stakeholders_visible_to(user),
        organisations=selectors.organisations_visible_to(user).order_by("name"),
        actions=selectors.actions_visible_to(user),
    )


@access_required(permissions.can_write)
def outcome_create(request):
    initial = {}
    action = request.GET.get("action", "")
    if action.isdigit():
        initial["actions"] = [int(action)]
    form = _outcome_form(request, initial=initial)
    if request.method == "POST" and not _searching(request) and form.is_valid():
        data, markers = form.service_data()
        outcome = run_service(
            form,
            lambda: services.outcome_create(
                user=request.user, data=data, markers=markers, request=request
            ),
        )
        if outcome is not None:
            messages.success(request, _("Résultat enregistré."))
            return redirect(outcome)
    return _page(
        request,
        form,
        title=_("Nouveau résultat"),
        trail=_outcome_trail(None, (_("Nouveau"), "")),
        cancel_url=reverse("plaidoyer:outcomes"),
    )


@access_required(permissions.can_write)
@object_access(load_outcome, permissions.can_edit)
def outcome_edit(request, outcome, pk: int):
    form = _outcome_form(request, outcome)
    if request.method == "POST" and not _searching(request) and form.is_valid():
        data, markers = form.service_data()
        changed = run_service(
            form,
            lambda: services.outcome_update(
                outcome=outcome, user=request.user, data=data, markers=markers, request=request
            ),
        )
        if changed is not None:
            messages.success(request, _("Résultat enregistré."))
            return redirect(outcome)
    return _page(
        request,
        form,
        title=_("Modifier le résultat"),
        trail=_outcome_trail(outcome, (_("Modifier"), "")),
        cancel_url=outcome.get_absolute_url(),
    )


# --- Lessons ------------------------------------------------------------------------------


def _lesson_trail(lesson=None, *extra):
    trail = [(_("Leçons apprises"), reverse("plaidoyer:lessons"))]
    if lesson is not None:
        trail.append((lesson.title, lesson.get_absolute_url() if extra else ""))
    return crumbs(*trail, *extra)


@access_required(permissions.can_read)
def lesson_list(request):
    filterset = selectors.lesson_filterset(user=request.user, data=request.GET)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "plaidoyer/lessons/list.html",
        {
            "filter": filterset,
            "sort": current_sort(filterset),
            "page_obj": page,
            "has_filters": has_filters(request),
            "can_write": permissions.can_write(request.user),
            "crumbs": crumbs((_("Leçons apprises"), "")),
        },
    )


@access_required(permissions.can_read)
@object_access(load_lesson)
def lesson_detail(request, lesson, pk: int):
    return render(
        request,
        "plaidoyer/lessons/detail.html",
        {
            "lesson": lesson,
            "can_edit": permissions.can_edit(request.user, lesson),
            "crumbs": _lesson_trail(lesson),
        },
    )


def _lesson_form(request, instance=None, initial=None):
    return LessonForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        countries=selectors.countries_managed_by(request.user),
        actions=selectors.actions_visible_to(request.user),
    )


@access_required(permissions.can_write)
def lesson_create(request):
    initial = {}
    action = request.GET.get("action", "")
    if action.isdigit():
        initial["actions"] = [int(action)]
    form = _lesson_form(request, initial=initial)
    if request.method == "POST" and not _searching(request) and form.is_valid():
        lesson = run_service(
            form,
            lambda: services.lesson_create(
                user=request.user, data=form.cleaned_data, request=request
            ),
        )
        if lesson is not None:
            messages.success(request, _("Leçon enregistrée."))
            return redirect(lesson)
    return _page(
        request,
        form,
        title=_("Nouvelle leçon apprise"),
        trail=_lesson_trail(None, (_("Nouvelle"), "")),
        cancel_url=reverse("plaidoyer:lessons"),
    )


@access_required(permissions.can_write)
@object_access(load_lesson, permissions.can_edit)
def lesson_edit(request, lesson, pk: int):
    form = _lesson_form(request, lesson)
    if request.method == "POST" and not _searching(request) and form.is_valid():
        changed = run_service(
            form,
            lambda: services.lesson_update(
                lesson=lesson, user=request.user, data=form.cleaned_data, request=request
            ),
        )
        if changed is not None:
            messages.success(request, _("Leçon enregistrée."))
            return redirect(lesson)
    return _page(
        request,
        form,
        title=_("Modifier la leçon"),
        trail=_lesson_trail(lesson, (_("Modifier"), "")),
        cancel_url=lesson.get_absolute_url(),
    )
