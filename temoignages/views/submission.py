"""The submission wizard: six steps, each a plain POST.

1 Contexte · 2 Récit · 3 Profil pseudonymisé · 4 Consentement · 5 Médias · 6 Relire et
envoyer. Every step saves the draft on the server through the testimony services; the
browser script (static/temoignages/wizard.js) adds autosave, a copy in localStorage and
offline handling on top. A request with the header `X-Autosave: 1` saves leniently
(whatever is valid) and answers JSON.

Field officers open only their sites' testimonies (another site → 404, audited);
coordinators may collect anywhere. Submitting twice — a retry after a timeout — never
creates a second testimony: the services are idempotent, `testimony_draft_create` on the
browser's draft id (`client_uuid`), `testimony_submit` on the testimony's status.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.forms import add_service_errors
from core.models import AuditEvent
from core.permissions import access_required, object_access
from core.scoping import get_scoped_object_or_404
from core.services import audit_record

from .. import conf, permissions, selectors
from ..forms.questions import answer_display, answers_from
from ..forms.submission import (
    FORM_UNCHANGED,
    LAST_STEP,
    STEP_TITLES,
    STEPS,
    ContextForm,
    NarrativeForm,
    ProfileForm,
    WizardConsentForm,
    WizardMediaForm,
)
from ..models import MediaAttachment, Testimony
from ..services import (
    consent_record,
    media_attach,
    media_delete,
    submission_errors,
    testimony_draft_create,
    testimony_draft_update,
    testimony_submit,
)
from ..services.submission import consent_unchanged, testimony_draft_discard

# Which step fixes each kind of submission error (step 6 links to it).
ERROR_STEPS = {"collected_on": 1, "narrative": 2, "answers": 2, "consent": 4}


# --- Helpers ----------------------------------------------------------------------------


def _is_autosave(request) -> bool:
    return request.method == "POST" and request.headers.get("X-Autosave") == "1"


def _is_replay(request) -> bool:
    """A step sent again by the offline queue (views/offline.py): refusals answer JSON."""
    return getattr(request, "wizard_replay", False)


def _replay_refusal(step: int, context: dict) -> JsonResponse:
    errors = []
    form = context.get("form")
    if form is not None:
        errors += [
            {"step": step, "field": "" if name == "__all__" else name, "message": str(e)}
            for name, field_errors in form.errors.items()
            for e in field_errors
        ]
    errors += [
        {"step": number, "field": "", "message": str(message)}
        for number, message in context.get("error_rows", [])
    ]
    return JsonResponse({"ok": False, "errors": errors}, status=400)


def _nav(request) -> str:
    nav = request.POST.get("nav", "next")
    return nav if nav in ("next", "prev", "upload", "stay") else "next"


def _draft(request, pk: int, **_url_kwargs) -> Testimony:
    """The testimony if the wizard may open it for this user, else 404 (audited)."""
    return get_scoped_object_or_404(request, selectors.wizard_queryset(request.user), pk=pk)


def _unsent_draft(request, pk: int, **_url_kwargs) -> Testimony:
    """A draft never sent to review (the only kind that may be discarded), else 404."""
    testimony = _draft(request, pk)
    if testimony.status != Testimony.Status.DRAFT or testimony.submitted_at is not None:
        raise Http404
    return testimony


def step_url(testimony: Testimony, step: int) -> str:
    return reverse("temoignages:submit_step", args=[testimony.pk, step])


def done_url(testimony: Testimony) -> str:
    return reverse("temoignages:submit_done", args=[testimony.pk])


def _saved_label(testimony: Testimony | None) -> str:
    if testimony is None:
        return ""
    return time_format(timezone.localtime(testimony.updated_at), "H:i")


def _autosave_response(testimony: Testimony, form=None) -> JsonResponse:
    testimony.refresh_from_db(fields=["updated_at"])
    errors = {}
    if form is not None and form.errors:
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    return JsonResponse(
        {
            "ok": True,
            "partial": bool(errors),
            "errors": errors,
            "saved_at": _saved_label(testimony),
            "saved_iso": timezone.localtime(testimony.updated_at).isoformat(),
        }
    )


def _editable_by(user, testimony: Testimony) -> bool:
    return testimony.is_editable and permissions.can_edit_content(user, testimony)


def _not_editable_response(request, testimony: Testimony):
    """A testimony sent (or sent back to someone else): its "sent" page, never a step."""
    if _is_autosave(request):
        return JsonResponse(
            {"ok": False, "reason": "not_editable", "redirect": done_url(testimony)}, status=409
        )
    return redirect(done_url(testimony))


def _render_step(request, step: int, context: dict, *, status: int = 200):
    if _is_replay(request):
        return _replay_refusal(step, context)
    testimony = context.get("testimony")
    client_uuid = context.get("client_uuid") or (testimony.client_uuid if testimony else "")
    context.update(
        {
            "step": step,
            "steps": STEPS,
            "step_title": STEP_TITLES[step],
            "last_step": LAST_STEP,
            "progress_percent": round(100 * step / LAST_STEP),
            "client_uuid": client_uuid,
            "saved_label": _saved_label(testimony),
            "saved_iso": (
                timezone.localtime(testimony.updated_at).isoformat() if testimony else ""
            ),
            "autosave": testimony is not None and step in (1, 2, 3),
            "step_url_template": (
                reverse("temoignages:submit_step", args=[testimony.pk, 9]).replace(
                    "/9/", "/{step}/"
                )
                if testimony
                else ""
            ),
            "start_url": reverse("temoignages:submit_start"),
        }
    )
    return render(request, f"temoignages/submit/step{step}.html", context, status=status)


def _go(testimony: Testimony, step: int):
    return redirect(step_url(testimony, max(1, min(LAST_STEP, step))))


def _advance(testimony: Testimony, user, target: int) -> None:
    """Remember where to resume (the furthest step reached)."""
    if target > testimony.wizard_step:
        testimony_draft_update(testimony=testimony, user=user, wizard_step=min(target, LAST_STEP))


# --- Start, resume, steps ---------------------------------------------------------------


@never_cache
@access_required(permissions.is_collector)
def wizard_start(request):
    """Step 1 of a new testimony; nothing is created until it is sent."""
    if request.method == "POST":
        return _context_step(request, None)
    client_uuid = None
    raw = request.GET.get("draft", "")
    if raw:
        try:
            client_uuid = uuid.UUID(raw)
        except ValueError:
            client_uuid = None
    if client_uuid is not None:
        existing = Testimony.objects.filter(client_uuid=client_uuid).first()
        if existing is not None:
            existing = _draft(request, existing.pk)
            return redirect(reverse("temoignages:submit_resume", args=[existing.pk]))
    client_uuid = client_uuid or uuid.uuid4()
    form = ContextForm(user=request.user, initial={"client_uuid": client_uuid})
    return _render_step(
        request, 1, {"form": form, "testimony": None, "client_uuid": str(client_uuid)}
    )


@never_cache
@access_required(permissions.is_collector)
@object_access(_draft)
def wizard_resume(request, testimony: Testimony, pk: int):
    if not testimony.is_editable:
        return redirect(done_url(testimony))
    return _go(testimony, testimony.wizard_step or 1)


@never_cache
@access_required(permissions.is_collector)
@object_access(_draft, permissions.can_open_in_wizard)
def wizard_step(request, testimony: Testimony, pk: int, step: int):
    if step < 1 or step > LAST_STEP:
        raise Http404
    if not _editable_by(request.user, testimony):
        return _not_editable_response(request, testimony)
    if request.method == "GET":
        # Opening a step shows the testimony's content: a view, like the detail page.
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            obj=testimony,
            request=request,
            detail={"wizard_step": step},
        )
    return step_handler(step)(request, testimony)


def step_handler(step: int):
    """The function that shows and saves `step` (also used by the offline queue)."""
    return {
        1: _context_step,
        2: _narrative_step,
        3: _profile_step,
        4: _consent_step,
        5: _media_step,
        6: _review_step,
    }[step]


def _context_step(request, testimony: Testimony | None):
    user = request.user
    if request.method != "POST":
        form = ContextForm(user=user, testimony=testimony)
        return _render_step(request, 1, {"form": form, "testimony": testimony})
    autosave = _is_autosave(request)
    form = ContextForm(request.POST, user=user, testimony=testimony, lenient=autosave)
    valid = form.is_valid()
    if autosave and testimony is None:
        return JsonResponse({"ok": False, "reason": "not_created"}, status=400)
    if not valid and not autosave:
        return _render_step(request, 1, {"form": form, "testimony": testimony})
    data = form.cleaned_data
    fields = {
        name: data[name]
        for name in ("site", "collected_on", "language", "title")
        if name in data and (data[name] not in (None, "") or name == "title")
    }
    chosen = form.chosen_form()
    if chosen is not FORM_UNCHANGED:
        current = testimony.form_version if testimony and testimony.form_version_id else None
        if chosen is None:
            fields["form_version"] = None
        elif current is None or current.form_id != chosen.pk:
            # Another form: the narrative and every answer typed so far are kept.
            fields["form_version"] = selectors.latest_published_version(chosen)
    try:
        if testimony is None:
            # A retried first step finds the draft created the first time (the service
            # is idempotent on the browser's draft id): never a second testimony.
            testimony = testimony_draft_create(
                user=user,
                site=fields.pop("site"),
                client_uuid=data["client_uuid"],
                collected_on=fields.pop("collected_on"),
                language=fields.pop("language"),
                form_version=fields.pop("form_version", None),
                wizard_step=2,
                request=request,
                **fields,
            )
            if not testimony.is_editable:
                return redirect(done_url(testimony))
        else:
            if not autosave:
                fields["wizard_step"] = max(testimony.wizard_step, 2)
            testimony = testimony_draft_update(testimony=testimony, user=user, **fields)
    except ValidationError as exc:
        add_service_errors(form, exc)
        if autosave:
            return (
                _autosave_response(testimony, form)
                if testimony
                else JsonResponse({"ok": False}, status=400)
            )
        return _render_step(request, 1, {"form": form, "testimony": testimony})
    if autosave:
        return _autosave_response(testimony, form)
    return _go(testimony, 2)


def _questions(testimony: Testimony):
    if not testimony.form_version_id:
        return []
    return selectors.version_questions(testimony.form_version)


def _save_step(request, testimony, step, form, fields, context, *, autosave, nav):
    """Save a step's fields through the draft service, then answer as asked: autosave
    JSON, the same step with its errors (nothing typed is lost), or the previous/next
    step."""
    if nav == "next" and not autosave:
        fields["wizard_step"] = max(testimony.wizard_step, step + 1)
    try:
        testimony = testimony_draft_update(testimony=testimony, user=request.user, **fields)
    except ValidationError as exc:
        add_service_errors(form, exc)
        if autosave:
            return _autosave_response(testimony, form)
        return _render_step(request, step, context)
    if autosave:
        return _autosave_response(testimony, form)
    if form.errors:
        # Going back with a value in the wrong format: say so rather than lose it.
        return _render_step(request, step, context)
    return _go(testimony, step - 1 if nav == "prev" else step + 1)


def _narrative_step(request, testimony: Testimony):
    questions = _questions(testimony)
    context = {"testimony": testimony, "questions": questions}
    if request.method != "POST":
        context["form"] = NarrativeForm(testimony=testimony, questions=questions)
        return _render_step(request, 2, context)
    autosave, nav = _is_autosave(request), _nav(request)
    lenient = autosave or nav == "prev"
    form = NarrativeForm(request.POST, testimony=testimony, questions=questions, lenient=lenient)
    valid = form.is_valid()
    context["form"] = form
    if not valid and not lenient:
        return _render_step(request, 2, context)
    data = form.cleaned_data
    fields = {}
    if "narrative" in data:
        fields["narrative"] = data["narrative"]
    if "themes" in data:
        fields["themes"] = list(data["themes"])
    if "extracts" in data:
        fields["extracts"] = data["extracts"]
    translations = form.translations_update() if "translation_language" not in form.errors else None
    if translations is not None:
        fields["translations"] = translations
    if questions:
        fields["answers"] = answers_from(form, form.question_names, testimony.answers)
    return _save_step(request, testimony, 2, form, fields, context, autosave=autosave, nav=nav)


def _profile_step(request, testimony: Testimony):
    context = {"testimony": testimony}
    if request.method != "POST":
        context["form"] = ProfileForm(testimony=testimony)
        return _render_step(request, 3, context)
    autosave, nav = _is_autosave(request), _nav(request)
    lenient = autosave or nav == "prev"
    form = ProfileForm(request.POST, testimony=testimony, lenient=lenient)
    valid = form.is_valid()
    context["form"] = form
    if not valid and not lenient:
        return _render_step(request, 3, context)
    fields = form.service_kwargs()
    return _save_step(request, testimony, 3, form, fields, context, autosave=autosave, nav=nav)


def _consent_step(request, testimony: Testimony):
    context = {"testimony": testimony, "consent": testimony.current_consent}
    if request.method != "POST":
        context["form"] = WizardConsentForm(testimony=testimony)
        return _render_step(request, 4, context)
    if _is_autosave(request):
        # Consent is a record: it is written by the step itself, never by autosave.
        return JsonResponse({"ok": False, "reason": "not_autosaved"}, status=400)
    nav = _nav(request)
    form = WizardConsentForm(request.POST, request.FILES, testimony=testimony)
    context["form"] = form
    if not form.is_valid():
        if nav == "prev":
            messages.warning(
                request,
                _("Le consentement n'a pas été enregistré : il était incomplet."),
            )
            return _go(testimony, 3)
        return _render_step(request, 4, context)
    data = form.service_kwargs()
    if not consent_unchanged(testimony.current_consent, data):
        try:
            consent_record(testimony=testimony, recorded_by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return _render_step(request, 4, context)
        messages.success(request, _("Consentement enregistré."))
    if nav == "prev":
        return _go(testimony, 3)
    _advance(testimony, request.user, 5)
    return _go(testimony, 5)


def _media_limits() -> list[tuple[str, str]]:
    labels = dict(MediaAttachment.Kind.choices)
    return [(labels[kind], filesizeformat(size)) for kind, size in conf.media_max_bytes().items()]


def _media_step(request, testimony: Testimony):
    context = {
        "testimony": testimony,
        "media": list(selectors.testimony_media(testimony)),
        "limits": _media_limits(),
    }
    if request.method != "POST":
        context["form"] = WizardMediaForm()
        return _render_step(request, 5, context)
    if _is_autosave(request):
        return JsonResponse({"ok": False, "reason": "not_autosaved"}, status=400)
    nav = _nav(request)
    form = WizardMediaForm(request.POST, request.FILES)
    context["form"] = form
    if request.FILES.get("file") or request.FILES.get("photo"):
        if not form.is_valid():
            return _render_step(request, 5, context)
        try:
            media = media_attach(
                testimony=testimony,
                upload=form.upload,
                uploaded_by=request.user,
                caption=form.cleaned_data["caption"],
                client_uuid=form.cleaned_data["media_uuid"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return _render_step(request, 5, context)
        if media.metadata_stripped:
            messages.success(request, _("Fichier ajouté, métadonnées supprimées."))
        else:
            messages.warning(
                request,
                _(
                    "Fichier ajouté, mais ses métadonnées n'ont pas pu être supprimées "
                    "(pas d'outil disponible pour ce type)."
                ),
            )
    elif nav == "upload":
        form.is_valid()
        return _render_step(request, 5, context)
    if nav == "prev":
        return _go(testimony, 4)
    if nav in ("upload", "stay"):
        return _go(testimony, 5)
    _advance(testimony, request.user, 6)
    return _go(testimony, 6)


def _summary(testimony: Testimony) -> dict:
    questions = _questions(testimony)
    answers = [
        (question, answer_display(question, testimony.answers.get(question.key)))
        for question in questions
    ]
    return {
        "answers": answers,
        "translations": list(testimony.translations.all()),
        "extracts": list(testimony.extracts.all()),
        "themes": list(testimony.themes.all()),
        "media": list(selectors.testimony_media(testimony)),
        "consent": testimony.current_consent,
    }


def _review_step(request, testimony: Testimony):
    errors = submission_errors(testimony)
    if request.method == "POST" and not _is_autosave(request):
        if _nav(request) == "prev":
            return _go(testimony, 5)
        try:
            testimony = testimony_submit(testimony=testimony, user=request.user, request=request)
        except ValidationError as exc:
            errors = exc.message_dict
            messages.error(
                request,
                _("Le témoignage n'a pas été envoyé : corrigez les points ci-dessous."),
            )
        else:
            return redirect(done_url(testimony))
    elif _is_autosave(request):
        return JsonResponse({"ok": False, "reason": "not_autosaved"}, status=400)
    error_rows = [
        (ERROR_STEPS.get(field, 6), message)
        for field, field_errors in errors.items()
        for message in field_errors
    ]
    context = {"testimony": testimony, "error_rows": error_rows, **_summary(testimony)}
    return _render_step(request, 6, context, status=400 if request.method == "POST" else 200)


# --- Media removal, discard, done -------------------------------------------------------


@never_cache
@access_required(permissions.is_collector)
@object_access(_draft, permissions.can_open_in_wizard)
def wizard_media_remove(request, testimony: Testimony, pk: int, media_pk: int):
    if not _editable_by(request.user, testimony):
        return _not_editable_response(request, testimony)
    media = testimony.media.filter(pk=media_pk).first()
    if media is None:
        raise Http404
    if request.method == "POST":
        media_delete(media=media, user=request.user)
        messages.success(request, _("Média retiré, fichier effacé."))
        return _go(testimony, 5)
    return render(
        request,
        "temoignages/submit/media_remove.html",
        {"testimony": testimony, "media": media, "back_url": step_url(testimony, 5)},
    )


@never_cache
@access_required(permissions.is_collector)
@object_access(_unsent_draft, permissions.can_edit_content)
def wizard_discard(request, testimony: Testimony, pk: int):
    if request.method == "POST":
        client_uuid = testimony.client_uuid
        reference = testimony_draft_discard(testimony=testimony, user=request.user, request=request)
        messages.success(
            request, _("Brouillon %(ref)s supprimé, fichiers compris.") % {"ref": reference}
        )
        return redirect(f"{reverse('temoignages:home')}?discarded={client_uuid}")
    return render(
        request,
        "temoignages/submit/discard.html",
        {
            "testimony": testimony,
            "media_count": testimony.media.count(),
            "back_url": step_url(testimony, testimony.wizard_step or 1),
        },
    )


@never_cache
@access_required(permissions.is_collector)
@object_access(_draft)
def wizard_done(request, testimony: Testimony, pk: int):
    if testimony.is_editable:
        return redirect(reverse("temoignages:submit_resume", args=[testimony.pk]))
    return render(
        request,
        "temoignages/submit/done.html",
        {"testimony": testimony, "can_read_detail": True},
    )
