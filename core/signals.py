"""Authentication signals → audit log. The receivers only call the audit service."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditEvent
from .services import audit_record


@receiver(user_logged_in, dispatch_uid="core.audit_login")
def _audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action=AuditEvent.Action.LOGIN, obj=user, request=request)


@receiver(user_logged_out, dispatch_uid="core.audit_logout")
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=AuditEvent.Action.LOGOUT, obj=user, request=request)


@receiver(user_login_failed, dispatch_uid="core.audit_login_failed")
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    # The attempted username only: never the password (Django already masks it).
    audit_record(
        action=AuditEvent.Action.LOGIN_FAILED,
        actor_label=str(credentials.get("username", ""))[:150],
        request=request,
    )
