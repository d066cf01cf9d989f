"""Helpers shared by the write services: history rows and audit events."""

from __future__ import annotations

from collections.abc import Iterable

from core.services import audit_record

from ..models import Testimony, TestimonyEvent


def record_event(
    *, testimony: Testimony, kind: str, actor=None, fields: Iterable[str] = ()
) -> TestimonyEvent:
    """One history row: field *names* only, never their values."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return TestimonyEvent.objects.create(
        testimony=testimony, kind=kind, actor=actor, changed_fields=sorted(set(fields))
    )


def audit(*, actor, action: str, obj, request=None, **detail) -> None:
    audit_record(actor=actor, action=action, obj=obj, request=request, detail=detail)
