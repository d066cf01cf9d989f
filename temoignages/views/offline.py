"""The field app offline: an installable web app for the field officer's part.

- `service_worker` and `manifest` make `/temoignages/` an installable app. The worker
  (static/temoignages/sw.js) caches only the static files and the two pages below, which
  hold no testimony: the offline home and the blank wizard with the forms of the
  officer's sites. Every other page of the app answers `no-store` (see urls.py).
- A testimony typed offline stays in the phone's IndexedDB (text and photos, never in a
  cache). Back online, the page sends it step by step to `send_step`, which runs the
  wizard's own step (same forms, same services) and answers JSON. Sending again is
  harmless: the draft is found by its client id, a step saves the same values, the
  consent is recorded once, each photo is stored once (its id on the phone), and the
  submission of a testimony already sent returns it.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.permissions import access_required, object_access
from core.scoping import get_scoped_object_or_404

from .. import permissions, selectors
from ..forms.submission import (
    LAST_STEP,
    STEP_TITLES,
    STEPS,
    ContextForm,
    NarrativeForm,
    ProfileForm,
    QuestionsForm,
    WizardConsentForm,
    WizardMediaForm,
)
from ..models import Testimony
from .submission import _media_limits, done_url, step_handler

SERVICE_WORKER = "temoignages/sw.js"
# The shell pages may be kept by the service worker; browsers and proxies revalidate.
SHELL_CACHE_CONTROL = "private, no-cache"


# --- Installable app --------------------------------------------------------------------


@login_not_required
@require_GET
def service_worker(request):
    """The worker script, served at the scope it controls (`/temoignages/`)."""
    path = finders.find(SERVICE_WORKER)
    if not path:
        raise Http404
    with open(path, encoding="utf-8") as handle:
        response = HttpResponse(handle.read(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def manifest(request):
    scope = reverse("temoignages:home")
    data = {
        "name": _("Influence — Témoignages terrain"),
        "short_name": _("Témoignages"),
        "description": _(
            "Recueillir des témoignages sur le terrain, même sans connexion : ils partent "
            "quand le réseau revient."
        ),
        "lang": request.LANGUAGE_CODE,
        "start_url": scope,
        "scope": scope,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f5f8b",
        "icons": [
            {"src": static("img/app-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/app-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "no-cache"
    return response


# --- Shell pages (cached by the service worker) -----------------------------------------


def _shell(request, template: str, context: dict):
    response = render(request, template, context)
    response["Cache-Control"] = SHELL_CACHE_CONTROL
    return response


@access_required(permissions.is_collector)
def offline_home(request):
    """The field home as it opens without a connection: no testimony from the server,
    only what waits on this phone."""
    return _shell(request, "temoignages/offline/home.html", {})


@access_required(permissions.is_collector)
def offline_wizard(request):
    """The six steps with blank forms, for testimonies typed without a connection:
    the questions of every form of the officer's sites, nothing from any testimony."""
    user = request.user
    context_form = ContextForm(user=user)
    question_groups = [
        QuestionsForm(collection_form=form, questions=selectors.version_questions(version))
        for form in context_form.offered_forms
        if (version := selectors.latest_published_version(form)) is not None
    ]
    return _shell(
        request,
        "temoignages/offline/wizard.html",
        {
            "steps": STEPS,
            "step_titles": [(number, STEP_TITLES[number]) for number in range(1, LAST_STEP + 1)],
            "last_step": LAST_STEP,
            "context_form": context_form,
            "narrative_form": NarrativeForm(testimony=None),
            "question_groups": question_groups,
            "profile_form": ProfileForm(testimony=None),
            "consent_form": WizardConsentForm(testimony=None),
            "media_form": WizardMediaForm(prefix="media"),
            "limits": _media_limits(),
        },
    )


# --- Sending the queue ------------------------------------------------------------------


@never_cache
@require_GET
@access_required(permissions.is_collector)
def send_state(request):
    """Who is logged in and a fresh CSRF token: the queue is sent only by its owner
    (a token kept in a cached page may be from an earlier session)."""
    return JsonResponse({"user": request.user.pk, "csrf": get_token(request)})


def _queued_testimony(request, client_uuid: uuid.UUID, step: int) -> Testimony | None:
    """The testimony the phone queued as `client_uuid`, None before its first step is
    sent; another site's testimony is a 404 (audited), like in the wizard."""
    if step < 1 or step > LAST_STEP:
        raise Http404
    if not Testimony.objects.filter(client_uuid=client_uuid).exists():
        return None
    return get_scoped_object_or_404(
        request, selectors.wizard_queryset(request.user), client_uuid=client_uuid
    )


def _sent_answer(testimony: Testimony, notes=()) -> JsonResponse:
    return JsonResponse(
        {
            "ok": True,
            "done": not testimony.is_editable,
            "pk": testimony.pk,
            "reference": testimony.reference,
            "url": done_url(testimony)
            if not testimony.is_editable
            else reverse("temoignages:submit_resume", args=[testimony.pk]),
            "notes": list(notes),
        }
    )


@never_cache
@require_POST
@access_required(permissions.is_collector)
@object_access(_queued_testimony, permissions.can_send_queued)
def send_step(request, testimony: Testimony | None, client_uuid: uuid.UUID, step: int):
    """Run step `step` of the wizard for the testimony typed offline as `client_uuid`,
    exactly as if the officer had pressed "Suivant" on it. Answers JSON: `ok` with the
    reference, or the refusals by field (nothing typed is lost: the phone keeps it)."""
    if testimony is not None and not testimony.is_editable:
        return _sent_answer(testimony)  # sent already: a resend changes nothing
    if testimony is None and step != 1:
        return JsonResponse({"ok": False, "reason": "no_draft"}, status=409)
    data = request.POST.copy()
    if step == 1:
        data["client_uuid"] = str(client_uuid)
    data["nav"] = "stay" if step == 5 else "next"
    request.POST = data
    request.wizard_replay = True
    response = step_handler(step)(request, testimony)
    # What the step says to the officer ("Consentement enregistré.") is for the page that
    # sent it, not for the next page they open.
    notes = [str(message) for message in messages.get_messages(request)]
    if response.status_code in (301, 302):
        return _sent_answer(Testimony.objects.get(client_uuid=client_uuid), notes)
    return response
