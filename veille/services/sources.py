"""Writes of the sources: create, edit, delete, and the OPML import jobs."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import enqueue
from core.models import AuditEvent
from core.services import audit_record
from core.updates import model_update

from ..models import Item, OpmlImport, Source
from . import clustering

# What people edit on a source (the fetch state belongs to the workers).
SOURCE_FIELDS = (
    "name", "feed_url", "site_url", "kind", "country", "language", "description", "active",
)  # fmt: skip


def _check_feed_url(url: str) -> None:
    """The fetch guard, applied when the address is typed rather than at the first fetch."""
    from ..errors import error_message
    from ..guard import FetchRefused, check_source_url

    try:
        check_source_url(url)
    except FetchRefused as refused:
        raise ValidationError({"feed_url": error_message(refused.code)}) from None


@transaction.atomic
def source_create(*, user, themes=(), request=None, **fields) -> Source:
    source = Source(created_by=user if getattr(user, "is_authenticated", False) else None)
    model_update(instance=source, fields=SOURCE_FIELDS, data=fields, save=False)
    _check_feed_url(source.feed_url)
    source.next_fetch_at = timezone.now()
    source.full_clean()
    source.save()
    if themes:
        source.themes.set(themes)
    audit_record(actor=user, action=AuditEvent.Action.CREATE, obj=source, request=request)
    return source


@transaction.atomic
def source_update(*, source: Source, user, themes=None, request=None, **fields) -> Source:
    changed = model_update(instance=source, fields=SOURCE_FIELDS, data=fields, save=False)
    if "feed_url" in changed:
        _check_feed_url(source.feed_url)
        # Another feed: forget the conditional-GET validators and the failure streak.
        source.etag = source.last_modified = ""
        source.consecutive_failures = 0
        source.next_fetch_at = timezone.now()
    if "active" in changed and source.active:
        source.next_fetch_at = timezone.now()
    source.full_clean()
    source.save()
    if themes is not None:
        changed += model_update(instance=source, fields=["themes"], data={"themes": themes})
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


def opml_import_start(
    *, user, filename: str, payload: str, default_kind: str, default_language: str,
    default_country=None, request=None,
) -> OpmlImport:  # fmt: skip
    """Record an uploaded OPML file, then hand its import to a worker.

    The row is written first: when the broker is down the import stays queued (its page
    says so) and is sent as soon as the sweeper, or the page itself, finds the queue back.
    """
    job = OpmlImport(
        created_by=user,
        filename=filename[:255],
        payload=payload,
        default_kind=default_kind,
        default_language=default_language,
        default_country=default_country,
    )
    job.full_clean()
    with transaction.atomic():
        job.save()
        audit_record(
            actor=user,
            action=AuditEvent.Action.CREATE,
            obj=job,
            request=request,
            detail={"filename": filename[:100]},
        )
        transaction.on_commit(lambda: opml_import_send(job_id=job.pk))
    job.refresh_from_db()
    return job


def opml_import_send(*, job_id: int) -> bool:
    """Hand an import to the broker; False when it is unreachable (nothing is lost)."""
    from ..tasks import import_opml

    if not enqueue(import_opml, job_id):
        return False
    OpmlImport.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
    return True


def _stuck_imports(now) -> Q:
    never_sent = Q(status=OpmlImport.Status.QUEUED) & (
        Q(enqueued_at__isnull=True, created_at__lt=now - timedelta(seconds=5))
        | Q(enqueued_at__lt=now - timedelta(seconds=settings.JOB_REQUEUE_AFTER_SECONDS))
    )
    worker_died = Q(status=OpmlImport.Status.RUNNING, lease_expires_at__lt=now)
    return never_sent | worker_died


def opml_imports_requeue_stale() -> int:
    """Send again the imports whose message was lost (broker outage) or whose worker died
    (lease expired). Called every minute by the dispatcher; re-running an import resumes
    after its last committed batch."""
    stale = list(
        OpmlImport.objects.filter(_stuck_imports(timezone.now())).values_list("pk", flat=True)[:20]
    )
    return sum(_resend(pk) for pk in stale)


def _resend(job_id: int) -> bool:
    # A dead worker's import goes back to the queue; its token no longer matches, so that
    # worker, should it come back, stops writing. The next worker resumes the import.
    OpmlImport.objects.filter(pk=job_id, status=OpmlImport.Status.RUNNING).update(
        status=OpmlImport.Status.QUEUED, claim_token="", lease_expires_at=None
    )
    return opml_import_send(job_id=job_id)


def opml_import_nudge(*, job: OpmlImport) -> bool:
    """Somebody is looking at a stuck import (beat may not be running): send it again."""
    if OpmlImport.objects.filter(_stuck_imports(timezone.now()), pk=job.pk).exists():
        return _resend(job.pk)
    return False
