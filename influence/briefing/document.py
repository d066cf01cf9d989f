"""The briefing as a document of the generic PDF job (`core.pdf_jobs`): rendered by a
worker on the `pdf` queue with its own time limit, its status, reason, retry, lease and
audited download being core's. Once the PDF is stored, each section records what it
must (testimony uses) and the subscribers' email is sent after commit."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.extensions import PdfDocument
from core.jobs import enqueue
from core.pdf import RenderedPdf, render_html_pdf
from core.pdf_jobs import PdfRenderError

from ..models import Briefing
from ..selectors.briefings import BRIEFING_PDF, briefing_owner, briefings_visible_to
from .edition import edition_build, edition_html, is_month

PDF_TEMPLATE = "influence/pdf/briefing.html"


def briefing_render(job) -> RenderedPdf:
    """Build the edition as it stands today and lay it out (in a worker)."""
    briefing = Briefing.objects.filter(pk=job.object_id).first()
    if briefing is None:
        raise PdfRenderError(_("Ce briefing a été supprimé."))
    user = job.requested_by or briefing_owner()
    if user is None:
        raise PdfRenderError(
            _(
                "Aucun coordinateur actif ne peut répondre de ce briefing : ajoutez-en un "
                "(ou réglez INFLUENCE_BRIEFING_OWNER), puis réessayez."
            )
        )
    edition = edition_build(briefing, user=user, render_date=timezone.localdate())
    rendered = render_html_pdf(edition_html(edition, template=PDF_TEMPLATE))

    def on_ready(done_job) -> None:
        edition.rendered(done_job)
        from ..tasks import notify_briefing_ready

        transaction.on_commit(lambda: enqueue(notify_briefing_ready, briefing.pk, done_job.pk))

    return dataclasses.replace(rendered, on_ready=on_ready)


def briefing_filename(job) -> str:
    briefing = Briefing.objects.filter(pk=job.object_id).first()
    if briefing is None:
        return f"briefing-{job.object_id}.pdf"
    if is_month(briefing.period_start, briefing.period_end):
        period = briefing.period_start.strftime("%Y-%m")
    else:
        period = f"{briefing.period_start:%Y%m%d}-{briefing.period_end:%Y%m%d}"
    audience = {"internal": "interne", "partners": "partenaires"}[briefing.audience]
    return f"briefing-{period}-{audience}-{briefing.language}.pdf"


def _target(user, job):
    return briefings_visible_to(user).filter(pk=job.object_id).first()


def _outdated(job, briefing) -> bool:
    return bool(job.finished_at and briefing.updated_at > job.finished_at)


BRIEFING_DOCUMENT = PdfDocument(
    kind=BRIEFING_PDF,
    render=briefing_render,
    target=_target,
    filename=briefing_filename,
    request_url=lambda job: reverse("influence:briefing_generate", args=[job.object_id]),
    outdated=_outdated,
    time_limit=settings.INFLUENCE_BRIEFING_TIME_LIMIT,
)
