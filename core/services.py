"""Writes for users, memberships, two-factor devices and the audit log."""

from __future__ import annotations

import ipaddress
import logging
import secrets
from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.db import models, transaction
from django.db.models import F

from .models import AuditEvent, Country, Membership, Role, Site, User
from .net import client_ip

logger = logging.getLogger(__name__)

_MAX_DETAIL_VALUE = 200


def _clean_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    """Keep the detail small and flat: short scalars only, never free text blobs."""
    cleaned: dict[str, Any] = {}
    for key, value in (detail or {}).items():
        if isinstance(value, (bool, int, float)) or value is None:
            cleaned[str(key)[:40]] = value
        else:
            cleaned[str(key)[:40]] = str(value)[:_MAX_DETAIL_VALUE]
    return cleaned


def audit_record(
    *,
    actor=None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    request=None,
    detail: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event to the audit log. The only way rows are written.

    `detail` must hold non-sensitive facts only (codes, field names, formats); values
    are truncated. Sensitive content never belongs here.
    """
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = obj.pk
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    ip = client_ip(request) if request is not None else None
    if ip:
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            ip = None
    event = AuditEvent(
        actor=actor,
        actor_label=(actor.get_username() if actor else actor_label)[:150],
        action=action,
        object_type=object_type[:80],
        object_id=str(object_id)[:64],
        ip_address=ip,
        detail=_clean_detail(detail),
    )
    event.full_clean(exclude=["actor"])
    event.save(force_insert=True)
    return event


def membership_grant(
    *, user: User, role: str, country: Country | None = None, site: Site | None = None
) -> Membership:
    """Give `user` a role, unit-wide or limited to a country or a site (idempotent)."""
    membership, created = Membership.objects.get_or_create(
        user=user, role=role, country=country, site=site
    )
    if created:
        membership.full_clean()
    user.__dict__.pop("_influence_scope", None)
    return membership


def user_sessions_revoke_others(*, request) -> None:
    """Log the user out everywhere except this browser."""
    user = request.user
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    update_session_auth_hash(request, user)
    audit_record(actor=user, action=AuditEvent.Action.SESSIONS_REVOKED, obj=user, request=request)


def user_requires_2fa(user) -> bool:
    """Coordinators and staff must use a second factor when REQUIRE_2FA is on."""
    from django.conf import settings

    from .scoping import has_role

    if not settings.REQUIRE_2FA:
        return False
    return bool(user.is_staff or user.is_superuser or has_role(user, Role.COORDINATOR))


# --- Two-factor authentication (django-otp) ---------------------------------------------


def otp_device_start(*, user: User):
    """An unconfirmed TOTP device for enrolment (reuses the pending one if any)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="totp", confirmed=False)
    return device


def otp_throttled(user) -> bool:
    """True while django-otp's throttling makes any code attempt fail (after errors)."""
    from django_otp import devices_for_user
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = list(devices_for_user(user)) + list(
        TOTPDevice.objects.filter(user=user, confirmed=False)
    )
    return bool(devices) and all(not d.verify_is_allowed()[0] for d in devices)


@transaction.atomic
def otp_device_confirm(*, request, device, token: str) -> list[str] | None:
    """Confirm a TOTP device with its first code; returns fresh recovery codes."""
    from django_otp import login as otp_login

    if not device.verify_is_allowed()[0] or not device.verify_token(token.replace(" ", "")):
        audit_record(actor=request.user, action=AuditEvent.Action.OTP_FAILED, request=request)
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One confirmed TOTP device per user: drop any older ones.
    type(device).objects.filter(user=device.user).exclude(pk=device.pk).delete()
    otp_login(request, device)
    request.user.has_confirmed_otp = True  # what this request's user was loaded with
    codes = otp_recovery_codes_regenerate(user=device.user)
    audit_record(
        actor=request.user, action=AuditEvent.Action.OTP_ENROLLED, obj=request.user, request=request
    )
    return codes


def otp_recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace the user's recovery codes with new single-use ones, shown once."""
    from django.conf import settings
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device, _ = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [_recovery_code() for _ in range(settings.RECOVERY_CODES_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def _recovery_code() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def otp_verify(*, request, token: str) -> str:
    """Check a TOTP or recovery code and mark the session verified.

    Returns "ok", "invalid" or "throttled" (django-otp slows down repeated failures).
    """
    from django_otp import login as otp_login
    from django_otp import match_token

    if otp_throttled(request.user):
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.OTP_FAILED,
            request=request,
            detail={"reason": "throttled"},
        )
        return "throttled"
    cleaned = token.strip().replace(" ", "")
    device = match_token(request.user, cleaned.lower()) or match_token(request.user, cleaned)
    if device is None:
        audit_record(actor=request.user, action=AuditEvent.Action.OTP_FAILED, request=request)
        return "invalid"
    otp_login(request, device)
    return "ok"


@transaction.atomic
def otp_disable(*, request) -> None:
    """Remove every second factor of the current user."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=request.user).delete()
    StaticDevice.objects.filter(user=request.user).delete()
    request.user.has_confirmed_otp = False  # what this request's user was loaded with
    audit_record(
        actor=request.user, action=AuditEvent.Action.OTP_DISABLED, obj=request.user, request=request
    )
