"""Housekeeping run by beat. Each task is safe to run twice."""

from datetime import timedelta

from celery import shared_task
from django.core.management import call_command
from django.db import InterfaceError, OperationalError
from django.utils import timezone

# A database that is briefly unreachable (restart, failover) is worth a retry.
DB_ERRORS = (OperationalError, InterfaceError)


def db_task(
    *,
    autoretry_for: tuple[type[BaseException], ...] = DB_ERRORS,
    retry_backoff_max: int = 300,
    max_retries: int = 3,
    **options,
):
    """`shared_task` retried with exponential backoff (and jitter) on database errors.

    `acks_late` and the default time limits come from the CELERY_* settings; pass
    `soft_time_limit`/`time_limit` for tasks that need other bounds.
    """
    return shared_task(
        autoretry_for=autoretry_for,
        retry_backoff=True,
        retry_backoff_max=retry_backoff_max,
        max_retries=max_retries,
        **options,
    )


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
