"""Housekeeping run by beat. Each task is safe to run twice."""

from datetime import timedelta

from celery import shared_task
from django.core.management import call_command
from django.utils import timezone


@shared_task
def clear_expired_sessions() -> None:
    call_command("clearsessions")


@shared_task
def purge_old_login_attempts(days: int = 90) -> int:
    """Forget failed-login records older than `days` (the audit log keeps the events)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = timezone.now() - timedelta(days=days)
    deleted = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()[0]
    deleted += AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    deleted += AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return deleted
