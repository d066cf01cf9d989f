"""Writes of fetching: claiming due sources, dispatching them to workers, fetching one now,
and recording a fetch cut by the worker's time limit."""

from __future__ import annotations

import uuid
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.jobs import Heartbeat, enqueue
from core.models import AuditEvent
from core.services import audit_record

from ..models import Source


def claim_lease() -> timedelta:
    """How long a claimed source waits in the queue for a worker (longer than the task
    limit). Once a worker starts the fetch, the claim becomes a short lease that the
    worker extends while it works (`fetch_lease`)."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def fetch_lease() -> int:
    """Seconds a running fetch holds its source without extending the lease: a worker
    killed mid-fetch releases the source after this, for the next dispatch."""
    return settings.JOB_LEASE_SECONDS


def _due(now) -> Q:
    return Q(active=True, next_fetch_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def _unclaimed(now) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def sources_claim_due(*, limit: int | None = None) -> tuple[str, list[int]]:
    """Claim the sources due for a fetch, atomically: two dispatchers never get the same.

    PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` then one UPDATE; elsewhere a
    conditional UPDATE per row (the row is ours only if it was still unclaimed).
    """
    limit = limit or settings.VEILLE_DISPATCH_BATCH
    now = timezone.now()
    token = uuid.uuid4().hex
    claim = {"claim_token": token, "claimed_until": now + claim_lease()}
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            ids = list(
                Source.objects.select_for_update(skip_locked=True)
                .filter(_due(now))
                .order_by("next_fetch_at")
                .values_list("pk", flat=True)[:limit]
            )
            if ids:
                Source.objects.filter(pk__in=ids).update(**claim)
        else:
            candidates = list(
                Source.objects.filter(_due(now))
                .order_by("next_fetch_at")
                .values_list("pk", flat=True)[:limit]
            )
            ids = [
                pk
                for pk in candidates
                if Source.objects.filter(_due(now), pk=pk).update(**claim) == 1
            ]
    return token, ids


def source_claim(*, source: Source) -> str | None:
    """Claim one source now (a "fetch now" or the admin command); None if already claimed."""
    now = timezone.now()
    token = uuid.uuid4().hex
    updated = Source.objects.filter(_unclaimed(now), pk=source.pk).update(
        claim_token=token, claimed_until=now + claim_lease()
    )
    return token if updated else None


def sources_dispatch_due(*, limit: int | None = None) -> int:
    """Claim due sources and enqueue one fetch task per source (after the commit)."""
    from ..tasks import fetch_source

    token, ids = sources_claim_due(limit=limit)
    for pk in ids:
        fetch_source.delay_on_commit(pk, token)
    return len(ids)


class FetchNow(StrEnum):
    QUEUED = "queued"
    BUSY = "busy"  # a fetch is already under way
    QUEUE_DOWN = "queue_down"  # the broker is unreachable: nothing is held, try later


def source_fetch_now(*, source: Source, user, request=None) -> FetchNow:
    """Queue a fetch of `source` right away.

    The claim is released at once when the broker cannot take the task, so the source is
    not left locked until its lease runs out.
    """
    from ..tasks import fetch_source

    token = source_claim(source=source)
    if token is None:
        return FetchNow.BUSY
    if not enqueue(fetch_source, source.pk, token):
        Source.objects.filter(pk=source.pk, claim_token=token).update(
            claim_token="", claimed_until=None
        )
        return FetchNow.QUEUE_DOWN
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=source,
        request=request,
        detail={"action": "fetch_now"},
    )
    return FetchNow.QUEUED


def source_fetch(*, source_id: int, claim_token: str):
    """The worker's job: fetch the source if the claim is still ours (idempotent).

    Starting shortens the claim to a lease of `fetch_lease()` seconds that a heartbeat
    extends while the fetch runs: a worker killed mid-fetch gives the source back to the
    dispatcher within one lease, not after the queue's long claim.
    """
    from .ingest import ingest_source

    if not claim_token:
        return None
    held = Source.objects.filter(pk=source_id, claim_token=claim_token)
    started = held.update(claimed_until=timezone.now() + timedelta(seconds=fetch_lease()))
    source = held.first() if started else None
    if source is None:
        return None
    with Heartbeat(held, seconds=fetch_lease(), field="claimed_until"):
        return ingest_source(source, claim_token=claim_token)


def source_fetch_timed_out(*, source_id: int, claim_token: str) -> None:
    """Record a fetch cut by the worker's time limit and release the claim."""
    from ..fetcher import FetchResult
    from .ingest import _record_failure

    source = Source.objects.filter(pk=source_id, claim_token=claim_token).first()
    if source is not None:
        _record_failure(
            source,
            FetchResult(url=source.feed_url, error_code="timeout", error_detail="time limit"),
            timezone.now(),
            claim_token,
        )
