"""Generic PDF job pages: the self-polling status panel and the audited download.

Which object a job belongs to, and whether the user may see it, is asked of the
registered `PdfDocument` of its kind: out of scope is a 404, audited like any other.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core.extensions import registry
from core.models import AuditEvent, PdfJob
from core.pdf_jobs import pdf_job_download_response, pdf_job_is_stuck, pdf_job_nudge
from core.services import audit_record


def _job_and_target(request, pk: int):
    job = get_object_or_404(PdfJob, pk=pk)
    document = registry.pdf_document(job.kind)
    target = document.target(request.user, job)
    if target is None:
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.PERMISSION_DENIED,
            obj=job,
            request=request,
            detail={"path": request.path[:200], "reason": "out_of_scope"},
        )
        raise Http404
    return job, document, target


def pdf_panel_context(job: PdfJob | None, *, document, target, request_url: str) -> dict:
    """Context of `includes/pdf_job.html` (also used by the apps' own pages)."""
    outdated = bool(
        job is not None
        and job.status == PdfJob.Status.READY
        and document.outdated is not None
        and document.outdated(job, target)
    )
    stuck = job is not None and pdf_job_is_stuck(job)
    return {"job": job, "request_url": request_url, "outdated": outdated, "stuck": stuck}


@require_GET
def pdf_job_status(request, pk: int):
    """The panel, polled every 2 s while the job is queued or rendering."""
    job, document, target = _job_and_target(request, pk)
    if pdf_job_nudge(job=job):
        job.refresh_from_db()
    context = pdf_panel_context(
        job, document=document, target=target, request_url=document.request_url(job)
    )
    return render(request, "includes/pdf_job.html", context)


@require_GET
def pdf_job_download(request, pk: int):
    job, document, target = _job_and_target(request, pk)
    return pdf_job_download_response(
        request, job=job, audit_obj=target, filename=document.filename(job)
    )
