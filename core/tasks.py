"""Housekeeping run by beat. Each task is safe to run twice."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.management import call_command
from django.db import InterfaceError, OperationalError
from django.utils import timezone

logger = logging.getLogger(__name__)

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


@db_task(soft_time_limit=settings.PDF_JOB_SOFT_TIME_LIMIT, time_limit=settings.PDF_JOB_TIME_LIMIT)
def render_pdf_job(job_id: int) -> str:
    """Render one PDF job (on the `pdf` queue). Safe to receive twice: the claim decides."""
    from celery.exceptions import SoftTimeLimitExceeded

    from .pdf_jobs import pdf_job_fail, pdf_job_run

    try:
        return pdf_job_run(job_id=job_id)
    except SoftTimeLimitExceeded:
        pdf_job_fail(job_id=job_id, reason="timeout")
        return "failed"
    except DB_ERRORS:
        raise  # retried with backoff; the lease lets another attempt claim it
    except Exception as error:
        logger.exception("PDF job %s failed", job_id)
        pdf_job_fail(job_id=job_id, reason=type(error).__name__)
        return "failed"


@shared_task
def sweep_pdf_jobs() -> dict:
    """Every minute: re-send jobs never picked up, requeue those of dead workers."""
    from .pdf_jobs import pdf_jobs_sweep

    return pdf_jobs_sweep()
