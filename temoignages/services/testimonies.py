"""Drafts and submission of testimonies (the wizard and the offline field app call these).

Both writes are idempotent, because a phone on a weak connection sends again what it is
not sure was received: a second `testimony_draft_create` with the same browser draft id
(`client_uuid`) returns the draft created the first time, a second `testimony_submit`
returns the testimony unchanged. Each audits what it really did, once.
"""

# ruff: noqa: PT028 — `testimony_*` functions are services, not pytest tests.

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.models import AuditEvent, Site, Theme
from core.services import audit_record
from core.updates import model_update

from .. import conf
from ..models import (
    CollectionFormVersion,
    FormQuestion,
    ReferenceCounter,
    Testimony,
    TestimonyEvent,
    TestimonyTranslation,
    UsableExtract,
)
from ..permissions import can_collect_at, can_edit_content
from ._common import record_event

# Fields `testimony_draft_update` accepts, besides themes / translations / extracts.
DRAFT_FIELDS = (
    "site",
    "collected_on",
    "form_version",
    "answers",
    "language",
    "title",
    "narrative",
    "age_bracket",
    "gender",
    "nationality",
    "administrative_status",
    "is_minor",
    "route_countries",
    "sensitivity",
    "wizard_step",
)


def retention_default_date(*, sensitivity: str, collected_on: datetime.date) -> datetime.date:
    """The default "keep until" date: collection date + the sensitivity's retention days."""
    days = conf.retention_days().get(sensitivity, conf.retention_days()["confidential"])
    return collected_on + datetime.timedelta(days=days)


def reference_next(*, year: int | None = None) -> str:
    """The next reference code (TEM-2026-0042), safe under concurrency.

    One counter row per year, created if missing (INSERT … ON CONFLICT DO NOTHING), then
    locked with SELECT … FOR UPDATE: concurrent submissions queue on that row and each
    gets its own number. Must run inside the caller's transaction.
    """
    year = year or timezone.localdate().year
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(year=year, last_value=0)], ignore_conflicts=True
    )
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return f"TEM-{year}-{counter.last_value:04d}"


def collection_date_error(value: datetime.date | None) -> str:
    """Why `value` cannot be a collection date ("" when it can): not in the future, and
    not before `TEMOIGNAGES_EARLIEST_COLLECTION_DATE` — a typo such as 0001-01-01 would
    otherwise set a retention date centuries back."""
    if value is None:
        return ""
    if value > timezone.localdate():
        return _("Cette date est dans le futur.")
    earliest = conf.earliest_collection_date()
    if value < earliest:
        return _(
            "Cette date est trop ancienne : un recueil date au plus tôt du %(date)s. "
            "Vérifiez l'année."
        ) % {"date": date_format(earliest, "DATE_FORMAT")}
    return ""


def _check_collection_date(value: datetime.date | None) -> None:
    error = collection_date_error(value)
    if error:
        raise ValidationError({"collected_on": error}, code="collection_date")


def testimony_draft_create(
    *,
    user,
    site: Site,
    client_uuid: uuid.UUID | str | None = None,
    collected_on: datetime.date | None = None,
    language: str = "fr",
    form_version: CollectionFormVersion | None = None,
    request=None,
    **fields: Any,
) -> Testimony:
    """Start a draft (step 1 of the wizard). Idempotent on `client_uuid`.

    A retried request with the same `client_uuid` returns the draft created the first
    time instead of a second testimony; while that draft may still be edited, what the
    retry says is saved on it (`testimony_draft_update`), and it never goes back to an
    earlier wizard step. Extra `fields` are those of `testimony_draft_update`. The
    creation is audited (a retry is not a creation).
    """
    if not can_collect_at(user, site):
        raise PermissionDenied
    if client_uuid is not None:
        client_uuid = uuid.UUID(str(client_uuid))
        existing = Testimony.objects.filter(client_uuid=client_uuid).first()
        if existing is not None:
            return _draft_again(
                _existing_for(existing, user),
                user=user,
                site=site,
                collected_on=collected_on,
                language=language,
                form_version=form_version,
                fields=fields,
            )
    collected_on = collected_on or timezone.localdate()
    _check_collection_date(collected_on)
    try:
        with transaction.atomic():
            testimony = Testimony(
                client_uuid=client_uuid or uuid.uuid4(),
                site=site,
                collected_on=collected_on,
                collected_by=user,
                language=language,
                form_version=form_version,
                reference=reference_next(),
            )
            sensitivity = fields.pop("sensitivity", None)
            if sensitivity:
                testimony.sensitivity = sensitivity
            testimony.retention_date = retention_default_date(
                sensitivity=testimony.sensitivity, collected_on=collected_on
            )
            testimony.full_clean()
            testimony.save(force_insert=True)
            record_event(testimony=testimony, kind=TestimonyEvent.Kind.CREATED, actor=user)
            audit_record(
                actor=user, action=AuditEvent.Action.CREATE, obj=testimony, request=request
            )
    except IntegrityError:
        # Two identical requests raced: the other one created it.
        existing = Testimony.objects.filter(client_uuid=client_uuid).first()
        if existing is None:
            raise
        return _existing_for(existing, user)
    if fields:
        testimony = testimony_draft_update(testimony=testimony, user=user, **fields)
    return testimony


def _existing_for(testimony: Testimony, user) -> Testimony:
    if testimony.collected_by_id != user.pk and not can_collect_at(user, testimony.site):
        raise PermissionDenied
    return testimony


def _draft_again(
    testimony: Testimony,
    *,
    user,
    site: Site,
    collected_on: datetime.date | None,
    language: str,
    form_version: CollectionFormVersion | None,
    fields: dict[str, Any],
) -> Testimony:
    """A create sent again for a draft that exists: save what it says, if it still may
    be edited; a testimony already sent is returned unchanged."""
    if not testimony.is_editable or not can_edit_content(user, testimony):
        return testimony
    changes: dict[str, Any] = {"site": site, "language": language, **fields}
    if collected_on is not None:
        changes["collected_on"] = collected_on
    current = testimony.form_version
    if form_version is None or current is None or current.form_id != form_version.form_id:
        # The same form keeps the version the draft was started with.
        changes["form_version"] = form_version
    if "wizard_step" in changes:
        changes["wizard_step"] = max(testimony.wizard_step, changes["wizard_step"])
    return testimony_draft_update(testimony=testimony, user=user, **changes)


@transaction.atomic
def testimony_draft_update(
    *,
    testimony: Testimony,
    user,
    themes: Iterable[Theme] | None = None,
    translations: Mapping[str, str] | None = None,
    extracts: Iterable[str] | None = None,
    **fields: Any,
) -> Testimony:
    """Save what the wizard has so far (any step). Only changed field names are logged.

    `translations` maps a language code to its text (an empty text removes it);
    `extracts` replaces the usable extracts with the given quotes, in order.
    """
    testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
    if not can_edit_content(user, testimony):
        raise PermissionDenied
    new_site = fields.get("site")
    if (
        new_site is not None
        and new_site.pk != testimony.site_id
        and not can_collect_at(user, new_site)
    ):
        raise PermissionDenied
    if "collected_on" in fields and fields["collected_on"] != testimony.collected_on:
        _check_collection_date(fields["collected_on"])
    if (
        "form_version" in fields
        and _pk(fields["form_version"]) != testimony.form_version_id
        and not testimony.form_can_change
    ):
        raise ValidationError(
            {
                "form_version": _(
                    "Ce témoignage a déjà été envoyé à la relecture avec ce formulaire : "
                    "il ne peut plus en changer."
                )
            }
        )

    old_default = retention_default_date(
        sensitivity=testimony.sensitivity, collected_on=testimony.collected_on
    )
    changed = model_update(
        instance=testimony, fields=DRAFT_FIELDS, data=fields, strip=False, save=False
    )
    if ("sensitivity" in changed or "collected_on" in changed) and (
        testimony.retention_date in (None, old_default)
    ):
        testimony.retention_date = retention_default_date(
            sensitivity=testimony.sensitivity, collected_on=testimony.collected_on
        )
    if "answers" in fields and testimony.form_version_id:
        answers = testimony.answers or {}
        cleaned = clean_answers(testimony.form_version, answers, require_all=False)
        if testimony.form_can_change:
            # Answers to another form's questions stay aside while the draft may still
            # go back to that form; submission keeps only the chosen form's answers.
            keys = {q.key for q in testimony.form_version.questions.all()}
            cleaned.update({k: v for k, v in answers.items() if k not in keys})
        testimony.answers = cleaned
    testimony.full_clean()
    testimony.save()

    if themes is not None:
        before_ids = set(testimony.themes.values_list("pk", flat=True))
        testimony.themes.set(themes)
        if set(testimony.themes.values_list("pk", flat=True)) != before_ids:
            changed.append("themes")
    if translations is not None and _set_translations(testimony, translations, user):
        changed.append("translations")
    if extracts is not None and _set_extracts(testimony, extracts, user):
        changed.append("extracts")
    if changed and set(changed) != {"wizard_step"}:
        record_event(
            testimony=testimony,
            kind=TestimonyEvent.Kind.UPDATED,
            actor=user,
            fields=[f for f in changed if f != "wizard_step"],
        )
    return testimony


def _pk(value) -> int | None:
    return getattr(value, "pk", value)


def _set_translations(testimony: Testimony, translations: Mapping[str, str], user) -> bool:
    changed = False
    existing = {t.language: t for t in testimony.translations.all()}
    for language, text in translations.items():
        text = (text or "").strip()
        current = existing.get(language)
        if not text:
            if current is not None:
                current.delete()
                changed = True
            continue
        if language == testimony.language:
            raise ValidationError(
                {"translations": _("Une traduction doit être dans une autre langue que le récit.")}
            )
        if current is None:
            translation = TestimonyTranslation(
                testimony=testimony, language=language, text=text, translated_by=user
            )
            translation.full_clean()
            translation.save()
            changed = True
        elif current.text != text:
            current.text = text
            current.translated_by = user
            current.full_clean()
            current.save()
            changed = True
    return changed


def _set_extracts(testimony: Testimony, extracts: Iterable[str], user) -> bool:
    wanted = [e.strip() for e in extracts if e and e.strip()]
    current = list(testimony.extracts.order_by("position", "id"))
    if [e.text for e in current] == wanted:
        return False
    # Keep rows (and their external wording and uses) whose text did not change.
    by_text = {}
    for extract in current:
        by_text.setdefault(extract.text, extract)
    keep = set()
    for position, text in enumerate(wanted):
        extract = by_text.pop(text, None)
        if extract is None:
            extract = UsableExtract(testimony=testimony, text=text, created_by=user)
        extract.position = position
        extract.full_clean()
        extract.save()
        keep.add(extract.pk)
    testimony.extracts.exclude(pk__in=keep).delete()
    return True


def clean_answers(
    form_version: CollectionFormVersion, answers: Mapping[str, Any], *, require_all: bool
) -> dict[str, Any]:
    """Answers checked against the form version's questions (unknown keys are dropped).

    Raises ValidationError({"answers": {...}}) keyed by question key. With
    `require_all`, required questions must be answered (at submission).
    """
    questions = list(form_version.questions.all())
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in questions:
        value = answers.get(question.key)
        empty = value in (None, "", [])
        if empty:
            if require_all and question.required:
                errors[question.key] = _("Cette question est obligatoire.")
            continue
        error = _answer_error(question, value)
        if error:
            errors[question.key] = error
        else:
            cleaned[question.key] = value
    if errors:
        raise ValidationError(
            {"answers": [ValidationError(f"{k}: {v}") for k, v in errors.items()]}
        )
    return cleaned


def _answer_error(question: FormQuestion, value: Any) -> str:
    kind = question.kind
    allowed = {str(c.get("value")) for c in question.choices or []}
    if kind == FormQuestion.Kind.SINGLE_CHOICE:
        return "" if str(value) in allowed else _("Choix inconnu.")
    if kind == FormQuestion.Kind.MULTIPLE_CHOICE:
        if not isinstance(value, list) or not {str(v) for v in value} <= allowed:
            return _("Choix inconnu.")
        return ""
    if kind == FormQuestion.Kind.YES_NO:
        return "" if isinstance(value, bool) or value in ("yes", "no") else _("Oui ou non.")
    if kind == FormQuestion.Kind.NUMBER:
        try:
            float(value)
        except (TypeError, ValueError):
            return _("Un nombre est attendu.")
        return ""
    if kind == FormQuestion.Kind.DATE:
        try:
            parsed = datetime.date.fromisoformat(str(value))
        except ValueError:
            return _("Une date (AAAA-MM-JJ) est attendue.")
        return _("Cette date est dans le futur.") if parsed > timezone.localdate() else ""
    if not isinstance(value, str):
        return _("Un texte est attendu.")
    if kind == FormQuestion.Kind.SHORT_TEXT and len(value) > 300:
        return _("300 caractères au maximum.")
    return ""


def submission_errors(testimony: Testimony) -> dict[str, list[str]]:
    """What prevents `testimony` from being submitted, by field (empty when ready)."""
    from .consent import consent_minor_errors

    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not testimony.narrative.strip():
        add("narrative", _("Le récit est vide."))
    date_error = collection_date_error(testimony.collected_on)
    if date_error:
        add("collected_on", date_error)
    if testimony.form_version_id:
        try:
            clean_answers(testimony.form_version, testimony.answers, require_all=True)
        except ValidationError as exc:
            for message in exc.message_dict.get("answers", []):
                add("answers", message)
    consent = testimony.current_consent
    if consent is None:
        add("consent", _("Aucun consentement enregistré : impossible d'envoyer."))
    elif consent.withdrawn_at is not None:
        add("consent", _("Le consentement a été retiré."))
    elif testimony.is_minor:
        for message in consent_minor_errors(consent).values():
            add("consent", message)
    return errors


@transaction.atomic
def testimony_submit(*, testimony: Testimony, user, request=None) -> Testimony:
    """Send a draft (or a testimony sent back) to review. Refused without a valid consent.

    Idempotent: submitting what is already submitted, in review or approved returns it
    unchanged (no second history row, no second audit event), so a retried request never
    fails or duplicates.
    """
    testimony = (
        Testimony.objects.select_for_update(of=("self",))
        .select_related("current_consent", "form_version", "site")
        .get(pk=testimony.pk)
    )
    if testimony.status in (
        Testimony.Status.SUBMITTED,
        Testimony.Status.IN_REVIEW,
        Testimony.Status.APPROVED,
    ):
        return testimony
    if not can_edit_content(user, testimony):
        raise PermissionDenied
    errors = submission_errors(testimony)
    if errors:
        raise ValidationError(errors)
    # Only the answers to the chosen form leave with the testimony (a draft may keep
    # answers to a form it used before, see testimony_draft_update).
    testimony.answers = (
        clean_answers(testimony.form_version, testimony.answers or {}, require_all=True)
        if testimony.form_version_id
        else {}
    )
    testimony.status = Testimony.Status.SUBMITTED
    testimony.submitted_at = timezone.now()
    testimony.rejection_reason = ""
    testimony.full_clean()
    testimony.save(
        update_fields=["status", "submitted_at", "rejection_reason", "answers", "updated_at"]
    )
    record_event(
        testimony=testimony, kind=TestimonyEvent.Kind.SUBMITTED, actor=user, fields=["status"]
    )
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=testimony,
        request=request,
        detail={"change": "submitted"},
    )
    return testimony
