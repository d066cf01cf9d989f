"""Retention: every testimony has a "keep until" date; past it, it is anonymised or deleted.

Anonymising keeps a skeleton for statistics (site, month of collection, themes, age
bracket, minor flag, sensitivity, status "archived", the list of past uses) and erases
everything that could identify or quote the person: narrative, title, answers,
translations, extracts, external version, profile details, link to the identity
register, consent details and every file on disk (media, thumbnails, signed forms).
Deleting removes the row and its files. Both record an audit event.
"""

# ruff: noqa: PT028 — `testimony_*` functions are services, not pytest tests.

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.files import private_delete
from core.models import AuditEvent
from core.services import audit_record

from .. import conf
from ..models import Consent, Person, Testimony, TestimonyEvent
from ..permissions import is_reviewer
from ._common import record_event

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionOutcome:
    testimony_id: int
    reference: str
    action: str  # "anonymise" | "delete" | "hold" (reported, left untouched)
    files_removed: int
    reason: str = ""  # why a testimony was held


# The automatic purge never touches a testimony sent less than this long ago.
RETENTION_MIN_AGE = datetime.timedelta(days=30)


def retention_hold_reason(testimony: Testimony, *, now: datetime.datetime | None = None) -> str:
    """Why the automatic purge must leave this testimony alone and report it ("" = none).

    A retention date earlier than the day the testimony was sent, or a testimony sent
    less than 30 days ago, points to a wrong date (a typo in the collection date sets the
    retention date decades back): a person must look before anything is erased.
    """
    now = now or timezone.now()
    sent = testimony.submitted_at or testimony.created_at
    if sent is None:
        return ""
    if testimony.retention_date and testimony.retention_date < timezone.localtime(sent).date():
        return "retention_before_submission"
    if sent > now - RETENTION_MIN_AGE:
        return "submitted_recently"
    return ""


def retention_due(*, on: datetime.date | None = None):
    """Testimonies whose "keep until" date has passed and that still hold content."""
    on = on or timezone.localdate()
    return Testimony.objects.filter(retention_date__lt=on, anonymised_at__isnull=True).order_by(
        "retention_date", "pk"
    )


@transaction.atomic
def testimony_retention_set(
    *, testimony: Testimony, user, retention_date: datetime.date
) -> Testimony:
    """A coordinator moves the "keep until" date (e.g. a legal case needs it longer)."""
    if not is_reviewer(user):
        raise PermissionDenied
    if retention_date is None:
        raise ValidationError({"retention_date": _("Indiquez une date.")})
    if retention_date < timezone.localdate():
        raise ValidationError(
            {"retention_date": _("La date de conservation ne peut pas être dans le passé.")}
        )
    Testimony.objects.filter(pk=testimony.pk).update(retention_date=retention_date)
    testimony.retention_date = retention_date
    record_event(
        testimony=testimony,
        kind=TestimonyEvent.Kind.RETENTION_CHANGED,
        actor=user,
        fields=["retention_date"],
    )
    return testimony


def _files_of(testimony: Testimony) -> list[str]:
    paths: list[str] = []
    for storage_path, thumbnail_path in testimony.media.values_list(
        "storage_path", "thumbnail_path"
    ):
        paths.extend(p for p in (storage_path, thumbnail_path) if p)
    paths.extend(p for p in testimony.consents.values_list("signed_form_path", flat=True) if p)
    return paths


def testimony_purge(
    *, testimony: Testimony, action: str | None = None, only_if_due_on: datetime.date | None = None
) -> RetentionOutcome | None:
    """Anonymise or delete one testimony and remove its files from disk (audited).

    Idempotent: a testimony already anonymised or deleted is left alone (None). With
    `only_if_due_on`, nothing happens unless its retention date is still before that day
    (a coordinator may have extended it since the sweep listed it). Files are removed once
    the database change is committed, so a rollback never leaves a row pointing at a
    missing file.
    """
    action = action or conf.retention_action()
    if action not in ("anonymise", "delete"):
        raise ValueError(action)
    with transaction.atomic():
        locked = Testimony.objects.select_for_update().filter(pk=testimony.pk).first()
        if locked is None or locked.anonymised_at is not None:
            return None
        if only_if_due_on is not None and not (
            locked.retention_date and locked.retention_date < only_if_due_on
        ):
            return None
        hold = retention_hold_reason(locked) if only_if_due_on is not None else ""
        if hold:
            logger.warning("retention: %s held (%s)", locked.reference, hold)
            audit_record(
                action=AuditEvent.Action.PURGE,
                object_type=Testimony._meta.label_lower,
                object_id=locked.pk,
                actor_label="retention",
                detail={"reference": locked.reference, "mode": "hold", "reason": hold},
            )
            return RetentionOutcome(
                testimony_id=locked.pk,
                reference=locked.reference,
                action="hold",
                files_removed=0,
                reason=hold,
            )
        paths = _files_of(locked)
        person_id = locked.person_id
        reference = locked.reference
        pk = locked.pk
        if action == "delete":
            locked.delete()
        else:
            _anonymise(locked)
        if person_id and not Testimony.objects.filter(person_id=person_id).exists():
            Person.objects.filter(pk=person_id).delete()
        audit_record(
            action=AuditEvent.Action.PURGE,
            object_type=Testimony._meta.label_lower,
            object_id=pk,
            actor_label="retention",
            detail={"reference": reference, "mode": action, "files": len(paths)},
        )
        transaction.on_commit(lambda: [private_delete(p) for p in paths])
    return RetentionOutcome(
        testimony_id=pk, reference=reference, action=action, files_removed=len(paths)
    )


def _anonymise(testimony: Testimony) -> None:
    testimony.media.all().delete()
    testimony.translations.all().delete()
    testimony.extracts.all().delete()
    Consent.objects.filter(testimony=testimony).update(
        signed_form_path="",
        signed_form_mime="",
        signed_form_sha256="",
        interpreter="",
        guardian_relationship="",
        safeguarding_notes="",
        withdrawal_reason="",
    )
    testimony.title = ""
    testimony.narrative = ""
    testimony.answers = {}
    testimony.external_text = ""
    testimony.rejection_reason = ""
    testimony.nationality = ""
    testimony.route_countries = []
    testimony.gender = Testimony.Gender.UNDISCLOSED
    testimony.administrative_status = Testimony.AdministrativeStatus.UNKNOWN
    testimony.collected_on = testimony.collected_on.replace(day=1)
    testimony.person = None
    testimony.status = Testimony.Status.ARCHIVED
    testimony.anonymised_at = timezone.now()
    testimony.save()
    record_event(
        testimony=testimony,
        kind=TestimonyEvent.Kind.ANONYMISED,
        fields=["narrative", "answers", "media", "profile", "person"],
    )


def retention_run(
    *, on: datetime.date | None = None, dry_run: bool = False, limit: int | None = None
) -> list[RetentionOutcome]:
    """Anonymise or delete every testimony past its retention date (or list them)."""
    action = conf.retention_action()
    on = on or timezone.localdate()
    due = retention_due(on=on)
    if limit:
        due = due[:limit]
    outcomes = []
    for testimony in due:
        if dry_run:
            hold = retention_hold_reason(testimony)
            outcomes.append(
                RetentionOutcome(
                    testimony_id=testimony.pk,
                    reference=testimony.reference,
                    action="hold" if hold else action,
                    files_removed=0 if hold else len(_files_of(testimony)),
                    reason=hold,
                )
            )
        else:
            outcome = testimony_purge(testimony=testimony, action=action, only_if_due_on=on)
            if outcome is not None:
                outcomes.append(outcome)
    return outcomes
