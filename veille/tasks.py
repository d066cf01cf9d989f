"""Veille tasks: thin wrappers over the services, taking primary keys, safe to run twice.

Pipeline (part A): the dispatcher (beat, every minute), one fetch per claimed source,
OPML imports.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

_DB_ERRORS = (OperationalError, InterfaceError)


@shared_task(
    acks_late=True,
    soft_time_limit=50,
    time_limit=60,
    autoretry_for=_DB_ERRORS,
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=3,
)
def dispatch_due_sources() -> int:
    """Claim the sources due for a fetch and enqueue one `fetch_source` per source."""
    from .services import sources_dispatch_due

    return sources_dispatch_due()


@shared_task(
    acks_late=True,
    soft_time_limit=90,
    time_limit=120,
    autoretry_for=_DB_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=3,
)
def fetch_source(source_id: int, claim_token: str) -> dict | None:
    """Fetch one source if the claim `claim_token` is still ours (idempotent)."""
    from .services import source_fetch, source_fetch_timed_out

    try:
        report = source_fetch(source_id=source_id, claim_token=claim_token)
    except SoftTimeLimitExceeded:
        source_fetch_timed_out(source_id=source_id, claim_token=claim_token)
        return None
    if report is None:
        return None
    return {"new": report.new, "updated": report.updated, "error": report.error_code}


@shared_task(
    acks_late=True,
    soft_time_limit=300,
    time_limit=330,
    autoretry_for=_DB_ERRORS,
    retry_backoff=True,
    max_retries=3,
)
def import_opml(import_id: int) -> None:
    """Turn an uploaded OPML file into sources (skips a job that already ran)."""
    from .models import OpmlImport
    from .opml import import_run

    job = OpmlImport.objects.filter(pk=import_id).first()
    if job is None or job.status in (OpmlImport.Status.DONE, OpmlImport.Status.FAILED):
        return
    import_run(job)
