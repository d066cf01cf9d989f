"""Veille tasks: thin wrappers over the services, taking primary keys, safe to run twice.

Fetching: the dispatcher (beat, every minute), one fetch per claimed source, OPML
imports. Watch rules: their evaluation (beat), the daily digests. Analysis notes: PDFs.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from core.tasks import DB_ERRORS, db_task

logger = logging.getLogger(__name__)


@db_task(soft_time_limit=50, time_limit=60, retry_backoff_max=60)
def dispatch_due_sources() -> int:
    """Claim the sources due for a fetch and enqueue one `fetch_source` per source.

    Also re-enqueues OPML imports whose message or worker was lost.
    """
    from .services import opml_imports_requeue_stale, sources_dispatch_due

    opml_imports_requeue_stale()
    return sources_dispatch_due()


@db_task(soft_time_limit=90, time_limit=120)
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


@db_task(soft_time_limit=300, time_limit=330)
def import_opml(import_id: int) -> None:
    """Turn an uploaded OPML file into sources (skips a job that already ran)."""
    from .models import OpmlImport
    from .opml import import_run

    job = OpmlImport.objects.filter(pk=import_id).first()
    if job is None or job.status in (OpmlImport.Status.DONE, OpmlImport.Status.FAILED):
        return
    import_run(job)


# --- watch rules, digests, note PDFs -----------------------------------------------------


@db_task(soft_time_limit=240, time_limit=270, retry_backoff_max=120)
def evaluate_watch_rules() -> int:
    """Turn the articles fetched since each rule's last run into alerts (beat, every few
    minutes). Idempotent: alerts are unique per rule and article, one per story."""
    from .services import watch_rules_evaluate

    return watch_rules_evaluate()


@shared_task(soft_time_limit=60, time_limit=90)
def send_digests() -> int:
    """At the digest hour (beat): one `send_digest` per user with something new."""
    from .services import digest_recipients

    users = digest_recipients()
    for user_id in users:
        send_digest.delay(user_id)
    return len(users)


@db_task(
    soft_time_limit=60,
    time_limit=90,
    autoretry_for=(*DB_ERRORS, OSError),
    retry_backoff_max=600,
    max_retries=5,
)
def send_digest(user_id: int) -> int:
    """One user's daily email (nothing if there is nothing new; never twice the same)."""
    from .services import digest_send

    return digest_send(user_id=user_id)


@db_task(soft_time_limit=240, time_limit=300)
def refresh_theme_chart() -> int:
    """Recompute the dashboard's articles-per-theme chart into the cache (beat, every
    quarter of an hour), so that no page waits for the aggregate. Returns the number of
    themes counted."""
    from .selectors import theme_weeks

    _weeks, data = theme_weeks(refresh=True)
    return len(data["counts"])
