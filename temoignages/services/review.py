"""Review by coordinators: start, approve, send back, and the redacted external version."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Testimony, TestimonyEvent
from ..permissions import is_reviewer
from ._common import record_event

REVIEWABLE = (Testimony.Status.SUBMITTED, Testimony.Status.IN_REVIEW)


def _locked(testimony: Testimony, user) -> Testimony:
    if not is_reviewer(user):
        raise PermissionDenied
    return (
        Testimony.objects.select_for_update(of=("self",))
        .select_related("current_consent")
        .get(pk=testimony.pk)
    )


def _sync(target: Testimony, source: Testimony, *fields: str) -> Testimony:
    for name in fields:
        setattr(target, name, getattr(source, name))
    return target


@transaction.atomic
def review_start(*, testimony: Testimony, user) -> Testimony:
    """Submitted → in review (the reviewer takes it). Idempotent."""
    locked = _locked(testimony, user)
    if locked.status == Testimony.Status.IN_REVIEW:
        return _sync(testimony, locked, "status", "reviewed_by_id")
    if locked.status != Testimony.Status.SUBMITTED:
        raise ValidationError(_("Seul un témoignage soumis peut passer en relecture."))
    locked.status = Testimony.Status.IN_REVIEW
    locked.reviewed_by = user
    locked.save(update_fields=["status", "reviewed_by", "updated_at"])
    record_event(
        testimony=locked, kind=TestimonyEvent.Kind.REVIEW_STARTED, actor=user, fields=["status"]
    )
    return _sync(testimony, locked, "status", "reviewed_by_id")


def approval_errors(testimony: Testimony) -> list[str]:
    """Why `testimony` cannot be approved yet (empty when it can)."""
    from .consent import consent_minor_errors

    errors = []
    consent = testimony.current_consent
    if consent is None:
        errors.append(_("Aucun consentement enregistré."))
    elif consent.withdrawn_at is not None:
        errors.append(_("Le consentement a été retiré."))
    elif testimony.is_minor:
        errors.extend(consent_minor_errors(consent).values())
        if consent.safeguarding_reviewed_at is None:
            errors.append(_("Mineur : la revue de protection doit être faite avant l'approbation."))
    return errors


@transaction.atomic
def review_approve(*, testimony: Testimony, user) -> Testimony:
    """Approve for use. Refused without a valid consent, and for a minor without the
    safeguarding review. The gate still decides each use afterwards."""
    locked = _locked(testimony, user)
    if locked.status == Testimony.Status.APPROVED:
        return _sync(testimony, locked, "status")
    if locked.status not in REVIEWABLE:
        raise ValidationError(_("Seul un témoignage soumis ou en relecture peut être approuvé."))
    errors = approval_errors(locked)
    if errors:
        raise ValidationError(errors)
    locked.status = Testimony.Status.APPROVED
    locked.reviewed_by = user
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    record_event(testimony=locked, kind=TestimonyEvent.Kind.APPROVED, actor=user, fields=["status"])
    return _sync(testimony, locked, "status", "reviewed_by_id", "reviewed_at")


@transaction.atomic
def review_reject(*, testimony: Testimony, user, reason: str) -> Testimony:
    """Send back to the field officer for correction; the reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Expliquez ce qui doit être corrigé.")})
    locked = _locked(testimony, user)
    if locked.status not in (*REVIEWABLE, Testimony.Status.APPROVED):
        raise ValidationError(_("Ce témoignage ne peut pas être renvoyé dans son état actuel."))
    locked.status = Testimony.Status.REJECTED
    locked.rejection_reason = reason
    locked.reviewed_by = user
    locked.reviewed_at = timezone.now()
    locked.save(
        update_fields=["status", "rejection_reason", "reviewed_by", "reviewed_at", "updated_at"]
    )
    record_event(
        testimony=locked,
        kind=TestimonyEvent.Kind.REJECTED,
        actor=user,
        fields=["status", "rejection_reason"],
    )
    return _sync(testimony, locked, "status", "rejection_reason", "reviewed_by_id", "reviewed_at")


@transaction.atomic
def external_version_update(
    *,
    testimony: Testimony,
    user,
    external_text: str,
    extracts: Mapping[int, str] | None = None,
) -> Testimony:
    """The reviewer's redacted version (names, places, identifying details removed).

    `extracts` maps extract ids to their external wording. This is what leaves the unit:
    the gate refuses partners and public while it is empty.
    """
    locked = _locked(testimony, user)
    if locked.status in (Testimony.Status.WITHDRAWN, Testimony.Status.ARCHIVED):
        raise ValidationError(_("Ce témoignage ne peut plus être modifié."))
    changed = []
    text = (external_text or "").strip()
    if text != locked.external_text:
        locked.external_text = text
        locked.external_updated_at = timezone.now()
        locked.external_updated_by = user
        locked.full_clean()
        locked.save(
            update_fields=[
                "external_text",
                "external_updated_at",
                "external_updated_by",
                "updated_at",
            ]
        )
        changed.append("external_text")
    for extract in locked.extracts.filter(pk__in=list((extracts or {}).keys())):
        wording = (extracts[extract.pk] or "").strip()
        if wording != extract.external_text:
            extract.external_text = wording
            extract.full_clean()
            extract.save(update_fields=["external_text"])
            changed.append("extracts.external_text")
    if changed:
        record_event(
            testimony=locked,
            kind=TestimonyEvent.Kind.EXTERNAL_EDITED,
            actor=user,
            fields=changed,
        )
    return _sync(
        testimony, locked, "external_text", "external_updated_at", "external_updated_by_id"
    )
