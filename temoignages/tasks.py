"""Testimony tasks: thin wrappers over the services, taking primary keys, safe to run twice.

Retention: beat runs `retention_sweep` daily; it enqueues one
`retention_purge` per testimony past its "keep until" date. Each purge re-checks the
date under a row lock, so a sweep that runs twice, or a date extended in between, never
purges twice or too early.
"""

from __future__ import annotations

import logging

from core.tasks import db_task

logger = logging.getLogger(__name__)


@db_task(retry_backoff_max=600, max_retries=5)
def retention_sweep() -> int:
    """Enqueue the purge of every testimony past its retention date; returns how many."""
    from .services import retention_due

    ids = list(retention_due().values_list("pk", flat=True))
    for pk in ids:
        retention_purge.delay(pk)
    if ids:
        logger.info("retention: %d testimonies queued for purge", len(ids))
    return len(ids)


@db_task(retry_backoff_max=600, max_retries=5)
def retention_purge(testimony_id: int) -> str | None:
    """Anonymise (or delete) one testimony and its files if it is still due."""
    from django.utils import timezone

    from .models import Testimony
    from .services import testimony_purge

    outcome = testimony_purge(
        testimony=Testimony(pk=testimony_id), only_if_due_on=timezone.localdate()
    )
    return outcome.action if outcome else None
