"""Harmonised collection forms: create, edit (always as a new version), publish, archive.

A form's questions live in versions. Only a *draft* version can be edited; publishing
freezes it, and the wizard offers only published versions. Editing a form that is in
use therefore means: open a draft copied from the latest published version, change it,
publish it. Testimonies keep pointing at the version they were collected with, so their
questions and answers never change under them.

All writes here are for unit-wide coordinators.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.models import AuditEvent, Site
from core.services import audit_record
from core.updates import model_update

from ..models import CollectionForm, CollectionFormVersion, FormQuestion
from ..permissions import is_reviewer

QUESTION_FIELDS = frozenset(
    {
        "kind",
        "label_fr",
        "label_en",
        "label_ar",
        "help_fr",
        "help_en",
        "help_ar",
        "required",
        "choices",
    }
)


def _require_coordinator(user) -> None:
    if not is_reviewer(user):
        raise PermissionDenied


def _audit(user, action: str, obj, **detail) -> None:
    audit_record(actor=user, action=action, obj=obj, detail=detail)


# --- Forms ------------------------------------------------------------------------------


@transaction.atomic
def collection_form_create(
    *, user, name: str, description: str = "", sites: Iterable[Site] = ()
) -> CollectionForm:
    """A new form with an empty draft version 1, ready for its questions."""
    _require_coordinator(user)
    form = CollectionForm(name=(name or "").strip(), description=(description or "").strip())
    form.created_by = user
    form.full_clean()
    form.save()
    form.sites.set(list(sites))
    version = CollectionFormVersion(form=form, number=1, created_by=user)
    version.full_clean()
    version.save()
    _audit(user, AuditEvent.Action.CREATE, form)
    return form


@transaction.atomic
def collection_form_update(
    *, form: CollectionForm, user, name: str, description: str = "", sites: Iterable[Site] = ()
) -> CollectionForm:
    """Name, description and sites: where the form is offered, not what it asks.

    These are not versioned: a site added later is offered the current version.
    """
    _require_coordinator(user)
    form.name = (name or "").strip()
    form.description = (description or "").strip()
    form.full_clean()
    form.save()
    form.sites.set(list(sites))
    _audit(user, AuditEvent.Action.CHANGE, form, change="form_details")
    return form


@transaction.atomic
def collection_form_archive(*, form: CollectionForm, user, archived: bool = True) -> CollectionForm:
    """Stop (or resume) offering the form in the wizard. Nothing is deleted: testimonies
    collected with it keep their version and answers."""
    _require_coordinator(user)
    if form.is_active == (not archived):
        return form
    form.is_active = not archived
    form.save(update_fields=["is_active", "updated_at"])
    _audit(user, AuditEvent.Action.CHANGE, form, change="archived" if archived else "restored")
    return form


# --- Versions ---------------------------------------------------------------------------


@transaction.atomic
def form_version_draft(*, form: CollectionForm, user) -> CollectionFormVersion:
    """The form's draft version: the open one, or a new one copied from the latest
    published version (same questions, same keys, so answers stay comparable)."""
    _require_coordinator(user)
    # One draft at a time, even when two coordinators click together.
    CollectionForm.objects.select_for_update().get(pk=form.pk)
    draft = form.versions.filter(published_at__isnull=True).order_by("-number").first()
    if draft is not None:
        return draft
    latest = form.versions.filter(published_at__isnull=False).order_by("-number").first()
    number = (form.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = CollectionFormVersion(form=form, number=number, created_by=user)
    draft.full_clean()
    draft.save()
    if latest is not None:
        FormQuestion.objects.bulk_create(
            [
                FormQuestion(
                    version=draft,
                    position=question.position,
                    key=question.key,
                    kind=question.kind,
                    label_fr=question.label_fr,
                    label_en=question.label_en,
                    label_ar=question.label_ar,
                    help_fr=question.help_fr,
                    help_en=question.help_en,
                    help_ar=question.help_ar,
                    required=question.required,
                    choices=question.choices,
                )
                for question in latest.questions.order_by("position", "id")
            ]
        )
    CollectionForm.objects.filter(pk=form.pk).update(updated_at=timezone.now())
    _audit(user, AuditEvent.Action.CREATE, draft, number=number)
    return draft


def version_publish_errors(version: CollectionFormVersion) -> list[str]:
    errors = []
    if version.is_published:
        errors.append(_("Cette version est déjà publiée."))
    if not version.questions.exists():
        errors.append(_("Ajoutez au moins une question avant de publier."))
    return errors


@transaction.atomic
def form_version_publish(
    *, version: CollectionFormVersion, user, notes: str = ""
) -> CollectionFormVersion:
    """Freeze the draft: from now on the wizard offers this version for new testimonies."""
    _require_coordinator(user)
    version = CollectionFormVersion.objects.select_for_update().get(pk=version.pk)
    errors = version_publish_errors(version)
    if errors:
        raise ValidationError(errors)
    version.published_at = timezone.now()
    version.notes = (notes or "").strip()[:300]
    version.full_clean()
    version.save(update_fields=["published_at", "notes"])
    CollectionForm.objects.filter(pk=version.form_id).update(updated_at=timezone.now())
    _audit(user, AuditEvent.Action.CHANGE, version, change="published", number=version.number)
    return version


@transaction.atomic
def form_version_discard(*, version: CollectionFormVersion, user) -> None:
    """Throw away a draft version and its questions (published versions stay forever)."""
    _require_coordinator(user)
    version = CollectionFormVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(_("Une version publiée ne peut pas être supprimée."))
    if not version.form.versions.exclude(pk=version.pk).exists():
        raise ValidationError(
            _(
                "C'est la seule version de ce formulaire : modifiez-la, ou archivez le "
                "formulaire s'il ne sert plus."
            )
        )
    if version.testimonies.exists():  # cannot happen: drafts are never offered
        raise ValidationError(_("Des témoignages utilisent cette version."))
    _audit(user, AuditEvent.Action.DELETE, version, number=version.number)
    version.delete()


# --- Questions --------------------------------------------------------------------------


def _require_draft(version: CollectionFormVersion) -> None:
    if version.is_published:
        raise ValidationError(
            _(
                "La version %(n)s est publiée : elle ne change plus. Ouvrez une nouvelle "
                "version pour modifier les questions."
            )
            % {"n": version.number}
        )


def _unique_key(version: CollectionFormVersion, base: str, *, exclude_pk=None) -> str:
    base = (slugify(base) or "question")[:50]
    taken = set(version.questions.exclude(pk=exclude_pk).values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key = f"{base}-{n}"
        n += 1
    return key


def parse_choice_lines(
    text: str, *, previous: Sequence[Mapping[str, Any]] = ()
) -> list[dict[str, str]]:
    """Choices typed one per line as « français | English | العربية » → stored choices.

    A choice's value (what answers store) is derived from its French label when it is
    created, then kept: a line whose French label still gives an existing value keeps
    it, and a line edited in place (same position, old label gone) keeps the old value,
    so correcting a typo never turns earlier answers into unknown choices.
    """
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    parsed = []
    for line in lines:
        parts = [p.strip() for p in line.split("|")]
        parts += [""] * (3 - len(parts))
        if not parts[0]:
            raise ValidationError(
                _("Chaque choix commence par son libellé en français : « %(line)s ».")
                % {"line": line[:60]}
            )
        parsed.append({"fr": parts[0][:200], "en": parts[1][:200], "ar": parts[2][:200]})
    old_values = [str(c.get("value", "")) for c in previous]
    new_slugs = [slugify(p["fr"])[:60] or f"choix-{i + 1}" for i, p in enumerate(parsed)]
    for index, slug in enumerate(new_slugs):
        if slug in new_slugs[:index]:
            raise ValidationError(
                _("Deux choix portent le même libellé : « %(label)s ».")
                % {"label": parsed[index]["fr"]}
            )
    used: set[str] = set()
    choices = []
    for index, (choice, slug) in enumerate(zip(parsed, new_slugs, strict=True)):
        renamed_in_place = (
            slug not in old_values
            and index < len(old_values)
            and old_values[index] not in new_slugs
            and old_values[index] not in used
        )
        value = old_values[index] if renamed_in_place else slug
        used.add(value)
        choices.append({"value": value, **choice})
    return choices


def choices_as_text(choices: Iterable[Mapping[str, Any]]) -> str:
    lines = []
    for choice in choices:
        parts = [choice.get("fr", ""), choice.get("en", ""), choice.get("ar", "")]
        while len(parts) > 1 and not parts[-1]:
            parts.pop()
        lines.append(" | ".join(parts))
    return "\n".join(lines)


@transaction.atomic
def form_question_save(
    *,
    version: CollectionFormVersion,
    user,
    question: FormQuestion | None = None,
    key: str = "",
    **fields: Any,
) -> FormQuestion:
    """Add a question to a draft version (at the end), or change one of its questions.

    `key` (the stable identifier answers are stored under) is chosen when the question
    is created — from the French label when empty — and never changes afterwards.
    """
    _require_coordinator(user)
    version = CollectionFormVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    if question is None:
        question = FormQuestion(version=version)
        question.key = _unique_key(version, key or fields.get("label_fr", ""))
        last = version.questions.aggregate(p=Max("position"))["p"]
        question.position = 0 if last is None else last + 1
    elif question.version_id != version.pk:
        raise PermissionDenied
    changed = model_update(instance=question, fields=QUESTION_FIELDS, data=fields, save=False)
    if question.kind in FormQuestion.CHOICE_KINDS:
        if len(question.choices or []) < 2:
            raise ValidationError(
                {"choices": _("Une question à choix propose au moins deux choix.")}
            )
    else:
        question.choices = []
    question.full_clean()
    question.save()
    _audit(
        user,
        AuditEvent.Action.CHANGE,
        version,
        change="question_saved",
        question=question.key,
        fields=",".join(changed),
    )
    return question


@transaction.atomic
def form_question_delete(*, question: FormQuestion, user) -> None:
    _require_coordinator(user)
    version = CollectionFormVersion.objects.select_for_update().get(pk=question.version_id)
    _require_draft(version)
    key = question.key
    question.delete()
    _renumber(version)
    _audit(user, AuditEvent.Action.CHANGE, version, change="question_deleted", question=key)


def _renumber(version: CollectionFormVersion) -> list[FormQuestion]:
    questions = list(version.questions.order_by("position", "id"))
    changed = []
    for position, question in enumerate(questions):
        if question.position != position:
            question.position = position
            changed.append(question)
    if changed:
        FormQuestion.objects.bulk_update(changed, ["position"])
    return questions


@transaction.atomic
def form_question_move(*, question: FormQuestion, user, direction: str) -> FormQuestion:
    """Move a question one place up or down (keyboard-friendly reordering)."""
    _require_coordinator(user)
    if direction not in ("up", "down"):
        raise ValueError(direction)
    version = CollectionFormVersion.objects.select_for_update().get(pk=question.version_id)
    _require_draft(version)
    questions = _renumber(version)
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(questions):
        a, b = questions[index], questions[other]
        a.position, b.position = b.position, a.position
        FormQuestion.objects.bulk_update([a, b], ["position"])
        question.position = a.position
    return question
