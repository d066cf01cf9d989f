"""Writes of the veille pipeline: sources, claiming due sources, fetching, clusters.

(The desk — triage, annotations, rules, notes — keeps its own writes next to these.)
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AuditEvent
from core.services import audit_record

from . import clustering
from .models import Cluster, Item, OpmlImport, Source, TriageStatus

SOURCE_FIELDS = ("name", "feed_url", "site_url", "kind", "country", "language", "description")


def claim_lease() -> timedelta:
    """How long a claimed source stays with its worker (longer than the task limit)."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


# --- sources --------------------------------------------------------------------------------


@transaction.atomic
def source_create(*, user, themes=(), request=None, **fields) -> Source:
    source = Source(created_by=user if getattr(user, "is_authenticated", False) else None)
    for name, value in fields.items():
        setattr(source, name, value)
    source.next_fetch_at = timezone.now()
    source.full_clean()
    source.save()
    if themes:
        source.themes.set(themes)
    audit_record(actor=user, action=AuditEvent.Action.CREATE, obj=source, request=request)
    return source


@transaction.atomic
def source_update(*, source: Source, user, themes=None, request=None, **fields) -> Source:
    changed = [name for name, value in fields.items() if getattr(source, name) != value]
    for name, value in fields.items():
        setattr(source, name, value)
    if "feed_url" in changed:
        # Another feed: forget the conditional-GET validators and the failure streak.
        source.etag = source.last_modified = ""
        source.consecutive_failures = 0
        source.next_fetch_at = timezone.now()
    if "active" in changed and source.active:
        source.next_fetch_at = timezone.now()
    source.full_clean()
    source.save()
    if themes is not None:
        source.themes.set(themes)
        changed.append("themes")
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=source,
        request=request,
        detail={"fields": ",".join(changed)[:200]},
    )
    return source


def source_delete_blockers(source: Source) -> int:
    """Items of this source cited by analysis notes (deleting would break the notes)."""
    return Item.cited_in_notes.through.objects.filter(item__source=source).count()


@transaction.atomic
def source_delete(*, source: Source, user, request=None) -> int:
    """Delete a source and its items; refused while notes cite its items."""
    if source_delete_blockers(source):
        raise ValidationError(
            _(
                "Des notes d'analyse citent des articles de cette source : "
                "désactivez-la plutôt que de la supprimer."
            )
        )
    cluster_ids = set(
        Item.objects.filter(source=source, cluster__isnull=False).values_list(
            "cluster_id", flat=True
        )
    )
    count = Item.objects.filter(source=source).count()
    audit_record(
        actor=user,
        action=AuditEvent.Action.DELETE,
        obj=source,
        request=request,
        detail={"items": count},
    )
    source.delete()
    clustering.refresh(cluster_ids)
    return count


# --- claiming and fetching ------------------------------------------------------------------


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
    from .tasks import fetch_source

    token, ids = sources_claim_due(limit=limit)
    for pk in ids:
        fetch_source.delay_on_commit(pk, token)
    return len(ids)


def source_fetch_now(*, source: Source, user, request=None) -> bool:
    """Queue a fetch of `source` right away; False when a fetch is already under way."""
    from .tasks import fetch_source

    token = source_claim(source=source)
    if token is None:
        return False
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=source,
        request=request,
        detail={"action": "fetch_now"},
    )
    fetch_source.delay_on_commit(source.pk, token)
    return True


def source_fetch(*, source_id: int, claim_token: str):
    """The worker's job: fetch the source if the claim is still ours (idempotent)."""
    from .pipeline import ingest_source

    source = Source.objects.filter(pk=source_id, claim_token=claim_token).first()
    if source is None or not claim_token:
        return None
    return ingest_source(source, claim_token=claim_token)


def source_fetch_timed_out(*, source_id: int, claim_token: str) -> None:
    """Record a fetch cut by the worker's time limit and release the claim."""
    from .fetcher import FetchResult
    from .pipeline import _record_failure

    source = Source.objects.filter(pk=source_id, claim_token=claim_token).first()
    if source is not None:
        _record_failure(
            source,
            FetchResult(url=source.feed_url, error_code="timeout", error_detail="time limit"),
            timezone.now(),
            claim_token,
        )


# --- clusters -------------------------------------------------------------------------------


@transaction.atomic
def cluster_triage(
    *,
    cluster: Cluster,
    user,
    status: str | None = None,
    importance: int | None = None,
    request=None,
) -> int:
    """Triage a story: every item of the cluster takes the status (and/or importance).

    Returns the number of items changed. The cluster's denormalised fields follow.
    """
    if status is None and importance is None:
        return 0
    if status is not None and status not in TriageStatus.values:
        raise ValidationError(_("Statut inconnu."))
    now = timezone.now()
    changes: dict = {}
    if status is not None:
        changes.update(status=status, triaged_by=user, triaged_at=now)
    if importance is not None:
        changes["importance"] = int(importance)
    locked = Cluster.objects.select_for_update().get(pk=cluster.pk)
    count = Item.objects.filter(cluster=locked).update(**changes)
    clustering.refresh([locked.pk])
    cluster.refresh_from_db()
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=cluster,
        request=request,
        detail={"status": status or "", "importance": "" if importance is None else importance},
    )
    return count


# --- OPML -----------------------------------------------------------------------------------


def opml_import_start(
    *, user, filename: str, payload: str, default_kind: str, default_language: str,
    default_country=None, request=None,
) -> OpmlImport:  # fmt: skip
    """Record an uploaded OPML file and queue its import in a worker."""
    from .tasks import import_opml

    job = OpmlImport(
        created_by=user,
        filename=filename[:255],
        payload=payload,
        default_kind=default_kind,
        default_language=default_language,
        default_country=default_country,
    )
    job.full_clean()
    job.save()
    audit_record(
        actor=user,
        action=AuditEvent.Action.CREATE,
        obj=job,
        request=request,
        detail={"filename": filename[:100]},
    )
    import_opml.delay_on_commit(job.pk)
    return job


def opml_imports_requeue_stale(
    *, queued_for: timedelta = timedelta(minutes=2), running_for: timedelta = timedelta(minutes=10)
) -> int:
    """Re-enqueue imports whose message was lost (broker outage) or whose worker died.

    Called by the dispatcher every minute. Re-running an import is safe: feeds already
    created are found again and counted as already followed.
    """
    from .tasks import import_opml

    now = timezone.now()
    stale = list(
        OpmlImport.objects.filter(
            Q(status=OpmlImport.Status.QUEUED, created_at__lt=now - queued_for)
            | Q(status=OpmlImport.Status.RUNNING, started_at__lt=now - running_for)
        ).values_list("pk", flat=True)[:20]
    )
    for pk in stale:
        OpmlImport.objects.filter(pk=pk).update(created_at=now, started_at=now)
        import_opml.delay_on_commit(pk)
    return len(stale)
