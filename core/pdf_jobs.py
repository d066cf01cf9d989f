"""The lifecycle of every generated PDF: request, claim, render, fail, sweep, download.

    request ─► queued ─(worker claims)─► rendering ─► ready
                 ▲                          │  └────► failed (reason) ─(request again)─┐
                 └──── sweeper: never sent / lease expired ◄──────────────────────────┘

- **Request** writes the row first, then hands a message to the broker after commit. When
  the broker is unreachable the row stays queued (`enqueued_at` empty) and the caller tells
  the user the document will be made as soon as the queue is back: nothing is lost.
- **Claim** is a conditional UPDATE (queued → rendering, or a rendering job whose lease has
  expired), so a message delivered twice renders once. While rendering, a heartbeat
  extends the lease every few seconds; a worker killed mid-render stops extending it.
- **Sweeper** (beat, every minute): re-sends queued jobs never picked up, puts back in the
  queue rendering jobs whose lease expired (their worker died), and fails a job for good
  after `PDF_JOB_MAX_ATTEMPTS`.
- **Request again** on a queued or rendering job that is stuck re-sends it; on a ready or
  failed job starts a new render.

What a kind of document looks like and who may see it is the app's business: it registers
a `core.extensions.PdfDocument`.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from .extensions import registry
from .files import private_delete, private_file_response, private_name, private_write
from .jobs import Heartbeat, enqueue
from .models import AuditEvent, PdfJob
from .pdf import RenderedPdf

logger = logging.getLogger(__name__)

PDF_FOLDER = "pdf"


class PdfRenderError(Exception):
    """Raised by a document's renderer with a reason fit for the user (no content)."""


# --- Settings ---------------------------------------------------------------------------


def lease_seconds() -> int:
    return settings.JOB_LEASE_SECONDS


def _stale_queue_delay() -> timedelta:
    return timedelta(seconds=settings.JOB_REQUEUE_AFTER_SECONDS)


# --- Reads ------------------------------------------------------------------------------


def pdf_job_latest(*, kind: str, object_id, params: dict | None = None) -> PdfJob | None:
    jobs = PdfJob.objects.filter(kind=kind, object_id=str(object_id))
    if params is not None:
        jobs = jobs.filter(params=params)
    return jobs.order_by("-requested_at", "-id").first()


def latest_pdf_status(kind: str, *, outer_pk: str = "pk") -> Subquery:
    """An annotation: the status of the newest job of `kind` about each row (lists)."""
    newest = PdfJob.objects.filter(
        kind=kind, object_id=Cast(OuterRef(outer_pk), output_field=CharField())
    ).order_by("-requested_at", "-id")
    return Subquery(newest.values("status")[:1])


def pdf_job_is_stuck(job: PdfJob, *, now=None) -> bool:
    now = now or timezone.now()
    if job.status == PdfJob.Status.QUEUED:
        if job.enqueued_at is None:  # the broker was down (or the commit is under way)
            return job.requested_at < now - timedelta(seconds=5)
        return job.enqueued_at < now - _stale_queue_delay()
    if job.status == PdfJob.Status.RENDERING:
        return job.lease_expires_at is None or job.lease_expires_at < now
    return False


# --- Request ----------------------------------------------------------------------------


def pdf_job_request(
    *,
    kind: str,
    object_id,
    user,
    params: dict | None = None,
    request=None,
    audit_obj=None,
) -> PdfJob:
    """Ask for a render of `kind` about `object_id` (the caller checked permission).

    A queued or rendering job for the same object and options is reused (re-sent when
    stuck), otherwise a new job is created. Returns the job, refreshed: `enqueued_at` is
    None when the broker could not take the message.
    """
    registry.pdf_document(kind)  # fails loudly for an unknown kind
    params = params or {}
    with transaction.atomic():
        active = (
            PdfJob.objects.select_for_update()
            .filter(kind=kind, object_id=str(object_id), params=params)
            .filter(status__in=[PdfJob.Status.QUEUED, PdfJob.Status.RENDERING])
            .order_by("-requested_at", "-id")
            .first()
        )
        if active is not None and not pdf_job_is_stuck(active):
            return active
        if active is not None and active.status == PdfJob.Status.RENDERING:
            # Its worker died without finishing: that render is over, start afresh.
            pdf_job_fail(job_id=active.pk, reason="worker_lost")
            active = None
        if active is not None:
            job = active  # queued but never picked up: send it again
        else:
            job = PdfJob.objects.create(
                kind=kind,
                object_id=str(object_id),
                params=params,
                requested_by=user if getattr(user, "is_authenticated", False) else None,
            )
            if audit_obj is not None or request is not None:
                from .services import audit_record

                audit_record(
                    actor=user,
                    action=AuditEvent.Action.EXPORT,
                    obj=audit_obj,
                    object_type="" if audit_obj is not None else "core.pdfjob",
                    object_id="" if audit_obj is not None else job.pk,
                    request=request,
                    detail={"format": "pdf", "step": "requested", "kind": kind},
                )
        transaction.on_commit(lambda: pdf_job_enqueue(job_id=job.pk))
    job.refresh_from_db()
    return job


def pdf_job_time_limits(kind: str) -> dict[str, int]:
    """The task options bounding one render of `kind` (its `PdfDocument.time_limit`): the
    soft limit fails the job with "timeout", the hard one kills a render that ignores it.
    Empty for the default limits of the task."""
    seconds = registry.pdf_document(kind).time_limit
    if not seconds:
        return {}
    return {"soft_time_limit": seconds, "time_limit": seconds + 30}


def pdf_job_enqueue(*, job_id: int) -> bool:
    """Hand the job to the broker; False (logged, nothing raised) when it is unreachable."""
    from .tasks import render_pdf_job

    kind = PdfJob.objects.filter(pk=job_id).values_list("kind", flat=True).first()
    limits = pdf_job_time_limits(kind) if kind else {}
    if not enqueue(render_pdf_job, job_id, **limits):  # routed to `pdf` by its name
        return False
    PdfJob.objects.filter(pk=job_id, status=PdfJob.Status.QUEUED).update(enqueued_at=timezone.now())
    return True


# --- Worker side ------------------------------------------------------------------------


def pdf_job_claim(*, job_id: int) -> int | None:
    """queued → rendering (or reclaim an expired lease). Returns the attempt number that
    identifies this claim, or None when another worker has it or it is finished."""
    now = timezone.now()
    claimable = Q(status=PdfJob.Status.QUEUED) | Q(
        status=PdfJob.Status.RENDERING, lease_expires_at__lt=now
    )
    with transaction.atomic():
        claimed = (
            PdfJob.objects.filter(claimable, pk=job_id)
            .filter(attempts__lt=settings.PDF_JOB_MAX_ATTEMPTS)
            .update(
                status=PdfJob.Status.RENDERING,
                started_at=now,
                lease_expires_at=now + timedelta(seconds=lease_seconds()),
                attempts=F("attempts") + 1,
                error="",
            )
        )
        if not claimed:
            return None
        return PdfJob.objects.values_list("attempts", flat=True).get(pk=job_id)


def pdf_job_run(*, job_id: int) -> str:
    """Claim and render one job (the task's body). Returns the resulting status."""
    attempt = pdf_job_claim(job_id=job_id)
    if attempt is None:
        return "skipped"
    job = PdfJob.objects.get(pk=job_id)
    document = registry.pdf_document(job.kind)
    held = PdfJob.objects.filter(pk=job_id, status=PdfJob.Status.RENDERING, attempts=attempt)
    try:
        with Heartbeat(held, seconds=lease_seconds()):
            rendered = document.render(job)
    except PdfRenderError as error:
        pdf_job_fail(job_id=job_id, attempt=attempt, reason=str(error))
        return PdfJob.Status.FAILED
    if not isinstance(rendered, RenderedPdf):
        raise TypeError(f"{job.kind} renderer must return a RenderedPdf")
    return pdf_job_finish(job_id=job_id, attempt=attempt, rendered=rendered)


def pdf_job_finish(*, job_id: int, attempt: int, rendered: RenderedPdf) -> str:
    """Store the file and mark the job ready, with the document's `on_ready` in the same
    transaction: a failure there fails the job (its reason kept) and removes the file."""
    name = private_write(private_name(PDF_FOLDER, ".pdf"), rendered.data)
    try:
        with transaction.atomic():
            done = PdfJob.objects.filter(
                pk=job_id, status=PdfJob.Status.RENDERING, attempts=attempt
            ).update(
                status=PdfJob.Status.READY,
                file_name=name,
                page_count=rendered.page_count,
                size_bytes=len(rendered.data),
                finished_at=timezone.now(),
                lease_expires_at=None,
                error="",
            )
            if not done:
                # Reclaimed by another worker meanwhile (this one was presumed dead).
                transaction.on_commit(lambda: private_delete(name))
                return "skipped"
            job = PdfJob.objects.get(pk=job_id)
            if rendered.on_ready is not None:
                rendered.on_ready(job)
            _forget_older(job)
    except PdfRenderError as error:
        private_delete(name)
        pdf_job_fail(job_id=job_id, attempt=attempt, reason=str(error))
        return PdfJob.Status.FAILED
    except BaseException:
        private_delete(name)
        raise
    return PdfJob.Status.READY


def _forget_older(job: PdfJob) -> None:
    """Older finished renders of the same document are superseded: files and rows go."""
    older = PdfJob.objects.filter(
        kind=job.kind,
        object_id=job.object_id,
        params=job.params,
        status__in=[PdfJob.Status.READY, PdfJob.Status.FAILED],
        requested_at__lte=job.requested_at,
    ).exclude(pk=job.pk)
    names = [n for n in older.values_list("file_name", flat=True) if n]
    older.delete()
    if names:
        transaction.on_commit(lambda: [private_delete(n) for n in names])


def pdf_job_run_now(*, kind: str, object_id, user=None, params: dict | None = None) -> PdfJob:
    """Render one document in this process, through the same claim, render and finish as
    a worker (for management commands and checks; no broker, no time limit). Returns the
    job, ready or failed with its reason; an unexpected error fails it with the error's
    name, like the task does, and is raised again."""
    registry.pdf_document(kind)
    job = PdfJob.objects.create(
        kind=kind,
        object_id=str(object_id),
        params=params or {},
        requested_by=user if getattr(user, "is_authenticated", False) else None,
    )
    try:
        pdf_job_run(job_id=job.pk)
    except Exception as error:
        pdf_job_fail(job_id=job.pk, reason=type(error).__name__)
        raise
    job.refresh_from_db()
    return job


def pdf_job_fail(*, job_id: int, reason: str, attempt: int | None = None) -> None:
    """Failed for good with `reason` (a short, content-free sentence or error name)."""
    jobs = PdfJob.objects.filter(pk=job_id).exclude(status=PdfJob.Status.READY)
    if attempt is not None:
        jobs = jobs.filter(attempts=attempt)
    jobs.update(
        status=PdfJob.Status.FAILED,
        error=reason[:500],
        finished_at=timezone.now(),
        lease_expires_at=None,
    )


def pdf_jobs_sweep(*, now=None) -> dict[str, int]:
    """Re-send what was never picked up, requeue what a dead worker held, give up after
    the last attempt. Safe to run at any time, twice."""
    now = now or timezone.now()
    counts = {"resent": 0, "reclaimed": 0, "failed": 0}
    expired = PdfJob.objects.filter(status=PdfJob.Status.RENDERING, lease_expires_at__lt=now)
    counts["failed"] = expired.filter(attempts__gte=settings.PDF_JOB_MAX_ATTEMPTS).update(
        status=PdfJob.Status.FAILED,
        error="worker_lost",
        finished_at=now,
        lease_expires_at=None,
    )
    reclaimed = list(expired.values_list("pk", flat=True))
    counts["reclaimed"] = PdfJob.objects.filter(pk__in=reclaimed).update(
        status=PdfJob.Status.QUEUED, lease_expires_at=None, enqueued_at=None
    )
    waiting = PdfJob.objects.filter(status=PdfJob.Status.QUEUED).filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - _stale_queue_delay())
    )
    for job_id in waiting.values_list("pk", flat=True)[:200]:
        if pdf_job_enqueue(job_id=job_id):
            counts["resent"] += 1
    return counts


def pdf_jobs_delete(*, kind: str, object_id) -> int:
    """Forget every render of a deleted object: rows now, files once committed."""
    jobs = PdfJob.objects.filter(kind=kind, object_id=str(object_id))
    names = [n for n in jobs.values_list("file_name", flat=True) if n]
    deleted = jobs.delete()[0]
    if names:
        transaction.on_commit(lambda: [private_delete(n) for n in names])
    return deleted


def pdf_job_nudge(*, job: PdfJob) -> bool:
    """Somebody is watching a stuck job (beat may not be running): do the sweeper's work
    for this one job. True when it was sent again."""
    if not pdf_job_is_stuck(job):
        return False
    if job.status == PdfJob.Status.RENDERING:
        if job.attempts >= settings.PDF_JOB_MAX_ATTEMPTS:
            pdf_job_fail(job_id=job.pk, reason="worker_lost")
            return False
        PdfJob.objects.filter(pk=job.pk, status=PdfJob.Status.RENDERING).update(
            status=PdfJob.Status.QUEUED, lease_expires_at=None, enqueued_at=None
        )
    return pdf_job_enqueue(job_id=job.pk)


# --- Download ---------------------------------------------------------------------------


def pdf_job_download_response(request, *, job: PdfJob, audit_obj, filename: str):
    """The ready PDF as an audited attachment (the caller checked permission)."""
    from django.http import Http404

    if job.status != PdfJob.Status.READY or not job.file_name:
        raise Http404
    return private_file_response(
        request,
        name=job.file_name,
        filename=filename,
        content_type="application/pdf",
        audit_obj=audit_obj,
        audit_action=AuditEvent.Action.DOWNLOAD,
        audit_detail={"format": "pdf", "kind": job.kind, **_safe_params(job.params)},
    )


def _safe_params(params: dict) -> dict:
    return {k: v for k, v in params.items() if isinstance(v, (str, int, bool)) and len(k) < 20}
