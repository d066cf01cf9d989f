"""The identity register: create or link a person, and reveal an identity (audited)."""

# ruff: noqa: PT028 — `testimony_*` functions are services, not pytest tests.

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.models import AuditEvent

from ..models import Person, Testimony, TestimonyEvent
from ..permissions import can_edit_content, is_reviewer
from ._common import audit, record_event

# No 0/O, 1/I/L: pseudonyms are read aloud and copied by hand.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _pseudonym() -> str:
    return "P-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))


def person_create(*, created_by, full_name: str = "", contact: str = "", notes: str = "") -> Person:
    """A new entry in the identity register, with a fresh random stable pseudonym."""
    for _attempt in range(5):
        person = Person(
            pseudonym=_pseudonym(),
            full_name=(full_name or "").strip(),
            contact=(contact or "").strip(),
            notes=(notes or "").strip(),
            created_by=created_by,
        )
        person.full_clean(exclude=["pseudonym"])
        try:
            with transaction.atomic():
                person.save(force_insert=True)
        except IntegrityError:
            continue
        return person
    raise RuntimeError("Could not draw a free pseudonym.")


@transaction.atomic
def testimony_identity_set(
    *,
    testimony: Testimony,
    user,
    full_name: str = "",
    contact: str = "",
    pseudonym: str = "",
) -> Person | None:
    """Link the testimony to a person of the register.

    With `pseudonym`, links to that existing person (another testimony of the same
    person); otherwise creates a person from `full_name` / `contact` (both optional:
    nothing given, nothing is created). The values are encrypted in the database.
    """
    if not can_edit_content(user, testimony):
        raise PermissionDenied
    pseudonym = (pseudonym or "").strip().upper()
    if pseudonym:
        person = Person.objects.filter(pseudonym=pseudonym).first()
        if person is None:
            raise ValidationError({"pseudonym": _("Aucune personne avec ce pseudonyme.")})
    elif (full_name or "").strip() or (contact or "").strip():
        person = person_create(created_by=user, full_name=full_name, contact=contact)
    else:
        return None
    if testimony.person_id != person.pk:
        Testimony.objects.filter(pk=testimony.pk).update(person=person)
        testimony.person = person
        record_event(
            testimony=testimony,
            kind=TestimonyEvent.Kind.IDENTITY_LINKED,
            actor=user,
            fields=["person"],
        )
    return person


@dataclass(frozen=True)
class RevealedIdentity:
    pseudonym: str
    full_name: str
    contact: str
    notes: str


def identity_reveal(*, testimony: Testimony, user, request=None) -> RevealedIdentity | None:
    """Decrypt the identity behind a testimony, for a coordinator, one reveal per call.

    Every reveal is written to the audit log (never the revealed values).
    """
    if not is_reviewer(user):
        raise PermissionDenied
    if not testimony.person_id:
        return None
    person = Person.objects.get(pk=testimony.person_id)
    audit(
        actor=user,
        action=AuditEvent.Action.REVEAL,
        obj=testimony,
        request=request,
        person=person.pseudonym,
    )
    return RevealedIdentity(
        pseudonym=person.pseudonym,
        full_name=person.full_name,
        contact=person.contact,
        notes=person.notes,
    )
