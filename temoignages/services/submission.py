"""What the submission wizard needs besides the draft, consent, media and submit services."""

# ruff: noqa: PT028 — `testimony_*` functions are services, not pytest tests.

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.files import private_delete
from core.models import AuditEvent
from core.services import audit_record

from ..models import Consent, Testimony
from ..permissions import can_edit_content
from .consent import CONSENT_CHECKBOXES

# The fields of a consent the wizard's step 4 sets; used to tell a re-sent step (same
# answers: nothing to record) from a change (a new consent row, the old one kept).
CONSENT_CHOICE_FIELDS = (
    *CONSENT_CHECKBOXES,
    "method",
    "given_on",
    "expires_on",
    "explained_in",
    "interpreter_used",
    "interpreter",
    "guardian_consent",
    "guardian_relationship",
    "minor_agreement",
)


def consent_unchanged(consent: Consent | None, data: dict) -> bool:
    """True when `data` (the step's cleaned form) says what `consent` already records.

    An empty expiry date means "the default validity", which the service turned into a
    date: it matches whatever expiry the current consent has.
    """
    if consent is None or consent.withdrawn_at is not None or data.get("signed_form"):
        return False
    for name in CONSENT_CHOICE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        current = getattr(consent, name)
        if name == "expires_on" and value is None:
            continue
        if isinstance(value, str):
            value, current = value.strip(), (current or "").strip()
        if name == "interpreter" and not data.get("interpreter_used"):
            continue
        if value != current:
            return False
    return True


@transaction.atomic
def testimony_draft_discard(*, testimony: Testimony, user, request=None) -> str:
    """Delete a draft that was never sent, with its consent records and files.

    Only drafts (never submitted) can go: anything that reached review is a record of
    the unit and follows withdrawal and retention instead. Returns the reference.
    """
    locked = Testimony.objects.select_for_update().get(pk=testimony.pk)
    if locked.status != Testimony.Status.DRAFT or locked.submitted_at is not None:
        raise ValidationError(_("Seul un brouillon jamais envoyé peut être supprimé."))
    if not can_edit_content(user, locked):
        raise PermissionDenied
    paths = []
    for media in locked.media.all():
        paths += [media.storage_path, media.thumbnail_path]
    paths += list(
        locked.consents.exclude(signed_form_path="").values_list("signed_form_path", flat=True)
    )
    reference = locked.reference
    audit_record(
        actor=user,
        action=AuditEvent.Action.DELETE,
        obj=locked,
        request=request,
        detail={"reference": reference, "status": "draft"},
    )
    Testimony.objects.filter(pk=locked.pk).update(current_consent=None)
    locked.delete()
    transaction.on_commit(lambda: [private_delete(p) for p in paths if p])
    return reference
