"""What the services share: the audit call and the checks of who manages a country."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.models import AuditEvent
from core.services import audit_record

from .. import permissions

Action = AuditEvent.Action


def audit(*, user, action: str, obj, request=None, **detail) -> None:
    audit_record(actor=user, action=action, obj=obj, request=request, detail=detail or None)


def require_country(user, country, field: str = "country") -> None:
    """A record may be put in a country only by someone who manages it."""
    if country is None:
        return
    if not permissions.manages_country(user, getattr(country, "pk", country)):
        raise ValidationError({field: _("Vous ne gérez pas ce pays : choisissez l'un des vôtres.")})


def require_edit(user, obj) -> None:
    if not permissions.can_edit(user, obj):
        raise PermissionDenied


def changed_detail(changed: list[str]) -> dict:
    return {"fields": ",".join(sorted(changed))}
