"""Consent as a record: recording (with the minors' rules), withdrawal, safeguarding review."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.files import private_delete
from core.models import AuditEvent

from .. import conf
from ..media import DOCUMENT, PHOTO, store_upload
from ..models import Consent, Testimony, TestimonyEvent, TestimonyUse
from ..permissions import can_manage_consent, is_reviewer
from ._common import audit, record_event


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def consent_minor_errors(consent: Consent) -> dict[str, str]:
    """What a minor's consent lacks, by field (empty when the rules hold)."""
    errors: dict[str, str] = {}
    if not consent.guardian_consent:
        errors["guardian_consent"] = _(
            "Pour un mineur, l'accord d'un représentant légal ou d'un adulte de confiance "
            "est obligatoire."
        )
    elif not consent.guardian_relationship.strip():
        errors["guardian_relationship"] = _(
            "Précisez qui a donné l'accord (tuteur, référent ASE, adulte de confiance…)."
        )
    if not consent.minor_agreement:
        errors["minor_agreement"] = _("L'accord du mineur lui-même est obligatoire.")
    if consent.scope_public_named:
        errors["scope_public_named"] = _(
            "Un mineur ne peut jamais être cité nommément en public : décochez cette utilisation."
        )
    if consent.element_name:
        errors["element_name"] = _("Le nom d'un mineur ne peut pas être utilisé.")
    return errors


def consent_record(
    *,
    testimony: Testimony,
    recorded_by,
    given_on: datetime.date,
    method: str,
    explained_in: str,
    scope_internal: bool = False,
    scope_external_anonymised: bool = False,
    scope_public_named: bool = False,
    element_text: bool = False,
    element_voice: bool = False,
    element_image: bool = False,
    element_name: bool = False,
    expires_on: datetime.date | None = None,
    obtained_by=None,
    interpreter_used: bool = False,
    interpreter: str = "",
    guardian_consent: bool = False,
    guardian_relationship: str = "",
    minor_agreement: bool = False,
    signed_form=None,
) -> Consent:
    """Record what the person agreed to; it becomes the testimony's current consent.

    Earlier consents stay in the history (a renewal never erases the previous record).
    Refused, with a message per field: a date in the future, an expiry before the
    consent, no use or no element ticked, named public use without the name, and for a
    minor: no guardian's consent, no agreement of the minor, any named use. A new consent
    for a minor needs a new safeguarding review.
    """
    if not can_manage_consent(recorded_by, testimony):
        raise PermissionDenied
    if testimony.status in (Testimony.Status.WITHDRAWN, Testimony.Status.ARCHIVED):
        raise ValidationError(
            _("Le consentement de ce témoignage a été retiré : il ne peut plus être utilisé."),
            code="withdrawn",
        )
    if expires_on is None and given_on is not None:
        expires_on = add_months(given_on, conf.consent_default_months())
    consent = Consent(
        testimony=testimony,
        scope_internal=scope_internal,
        scope_external_anonymised=scope_external_anonymised,
        scope_public_named=scope_public_named,
        element_text=element_text,
        element_voice=element_voice,
        element_image=element_image,
        element_name=element_name,
        method=method,
        explained_in=(explained_in or "").strip(),
        interpreter_used=interpreter_used,
        interpreter=(interpreter or "").strip() if interpreter_used else "",
        obtained_by=obtained_by or recorded_by,
        given_on=given_on,
        expires_on=expires_on,
        guardian_consent=guardian_consent,
        guardian_relationship=(guardian_relationship or "").strip(),
        minor_agreement=minor_agreement,
        recorded_by=recorded_by,
    )
    errors = _consent_errors(consent, testimony)
    try:
        consent.full_clean(exclude=["testimony"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)

    stored = None
    if signed_form is not None:
        try:
            stored = store_upload(
                upload=signed_form,
                folder=f"temoignages/{testimony.pk}/consent",
                allowed_kinds=frozenset({PHOTO, DOCUMENT}),
            )
        except ValidationError as exc:
            raise ValidationError({"signed_form": exc.messages}) from exc
        consent.signed_form_path = stored.storage_path
        consent.signed_form_mime = stored.mime_type
        consent.signed_form_sha256 = stored.sha256
    try:
        with transaction.atomic():
            locked = Testimony.objects.select_for_update().get(pk=testimony.pk)
            if locked.status == Testimony.Status.WITHDRAWN:
                raise ValidationError(_("Le consentement de ce témoignage a été retiré."))
            consent.save(force_insert=True)
            locked.current_consent = consent
            locked.save(update_fields=["current_consent", "updated_at"])
            record_event(
                testimony=locked,
                kind=TestimonyEvent.Kind.CONSENT_RECORDED,
                actor=recorded_by,
                fields=_ticked_fields(consent),
            )
    except BaseException:
        if stored is not None:
            private_delete(stored.storage_path)
            private_delete(stored.thumbnail_path)
        raise
    testimony.current_consent = consent
    return consent


# The uses and elements a consent ticks (the checklist of the consent form).
CONSENT_CHECKBOXES = (
    "scope_internal",
    "scope_external_anonymised",
    "scope_public_named",
    "element_text",
    "element_voice",
    "element_image",
    "element_name",
)


def _ticked_fields(consent: Consent) -> list[str]:
    return [n for n in CONSENT_CHECKBOXES if getattr(consent, n)]


def _consent_errors(consent: Consent, testimony: Testimony) -> dict[str, str]:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if consent.given_on is None:
        errors["given_on"] = _("Indiquez la date du consentement.")
    elif consent.given_on > today:
        errors["given_on"] = _("Cette date est dans le futur.")
    if consent.expires_on and consent.given_on and consent.expires_on <= consent.given_on:
        errors["expires_on"] = _("L'expiration doit venir après la date du consentement.")
    if not (
        consent.scope_internal or consent.scope_external_anonymised or consent.scope_public_named
    ):
        errors["scope_internal"] = _("Cochez au moins une utilisation acceptée.")
    if not (
        consent.element_text
        or consent.element_voice
        or consent.element_image
        or consent.element_name
    ):
        errors["element_text"] = _("Cochez au moins un élément accepté.")
    if consent.scope_public_named and not consent.element_name:
        errors["element_name"] = _(
            "Une utilisation publique nominative suppose l'accord pour le nom."
        )
    if consent.interpreter_used and not consent.interpreter:
        errors["interpreter"] = _("Indiquez l'interprète (nom ou organisation).")
    if not consent.explained_in:
        errors["explained_in"] = _(
            "Indiquez la langue dans laquelle le consentement a été expliqué."
        )
    if testimony.is_minor:
        errors.update(consent_minor_errors(consent))
    return errors


@transaction.atomic
def consent_withdraw(
    *, testimony: Testimony, user, reason: str = "", request=None
) -> list[TestimonyUse]:
    """The person withdraws: one action, effective at once for every future use.

    The testimony becomes "withdrawn" (the gate denies every audience from now on) and
    its past uses are returned: they are the takedown checklist. Idempotent.
    """
    if not can_manage_consent(user, testimony):
        raise PermissionDenied
    locked = Testimony.objects.select_for_update().get(pk=testimony.pk)
    if locked.status == Testimony.Status.ARCHIVED:
        raise ValidationError(_("Ce témoignage est archivé."))
    if locked.status != Testimony.Status.WITHDRAWN:
        now = timezone.now()
        if locked.current_consent_id:
            Consent.objects.filter(pk=locked.current_consent_id, withdrawn_at__isnull=True).update(
                withdrawn_at=now,
                withdrawal_reason=(reason or "").strip(),
                withdrawal_recorded_by=user,
            )
        locked.status = Testimony.Status.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        record_event(
            testimony=locked,
            kind=TestimonyEvent.Kind.CONSENT_WITHDRAWN,
            actor=user,
            fields=["status"],
        )
        audit(
            actor=user,
            action=AuditEvent.Action.CHANGE,
            obj=locked,
            request=request,
            change="consent_withdrawn",
            reason_given=bool((reason or "").strip()),
        )
    testimony.status = locked.status
    testimony.refresh_from_db(fields=["status", "current_consent"])
    return list(
        locked.uses.select_related("used_by", "extract", "target_type").order_by("-used_on")
    )


@transaction.atomic
def consent_safeguarding_review(*, testimony: Testimony, user, notes: str = "") -> Consent:
    """A coordinator confirms the safeguarding review a minor's testimony needs."""
    if not is_reviewer(user):
        raise PermissionDenied
    locked = Testimony.objects.select_for_update().get(pk=testimony.pk)
    if not locked.is_minor:
        raise ValidationError(_("La revue de protection ne concerne que les mineurs."))
    if not locked.current_consent_id:
        raise ValidationError(_("Aucun consentement à examiner."))
    consent = Consent.objects.get(pk=locked.current_consent_id)
    if consent.withdrawn_at is not None:
        raise ValidationError(_("Le consentement a été retiré."))
    consent.safeguarding_reviewed_at = timezone.now()
    consent.safeguarding_reviewed_by = user
    consent.safeguarding_notes = (notes or "").strip()
    consent.full_clean(exclude=["testimony"])
    consent.save(
        update_fields=[
            "safeguarding_reviewed_at",
            "safeguarding_reviewed_by",
            "safeguarding_notes",
        ]
    )
    record_event(
        testimony=locked,
        kind=TestimonyEvent.Kind.SAFEGUARDING_REVIEWED,
        actor=user,
        fields=["safeguarding_reviewed_at"],
    )
    testimony.current_consent = consent
    return consent
