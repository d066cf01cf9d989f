"""The PDF documents influence registers with the generic PDF job (`core.pdf_jobs`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.extensions import PdfDocument
from core.pdf import render_pdf
from core.pdf_jobs import PdfRenderError

from .models import LinesToTake
from .selectors.messages import lines_messages, lines_to_take_visible_to

LINES_TO_TAKE = "influence.lines_to_take"


def _render_lines(job):
    lines = LinesToTake.objects.select_related("created_by").filter(pk=job.object_id).first()
    if lines is None:
        raise PdfRenderError(_("Ces éléments de langage ont été supprimés."))
    with translation.override(lines.language):
        picked = lines_messages(lines)
        sensitivities = {m.sensitivity for m in picked}
        rendered = render_pdf(
            template_name="influence/pdf/lines_to_take.html",
            context={
                "lines": lines,
                "picked": picked,
                "internal": "internal" in sensitivities,
                "reactive": "reactive" in sensitivities,
                "generated_at": timezone.localtime(),
            },
        )
        if rendered.page_count > 1:
            raise PdfRenderError(
                _(
                    "Les messages choisis ne tiennent pas sur une page (%(pages)s pages) : "
                    "retirez-en quelques-uns."
                )
                % {"pages": rendered.page_count}
            )
    return rendered


def _target(user, job):
    return lines_to_take_visible_to(user).filter(pk=job.object_id).first()


def _outdated(job, lines) -> bool:
    return bool(job.finished_at and lines.updated_at > job.finished_at)


LINES_TO_TAKE_DOCUMENT = PdfDocument(
    kind=LINES_TO_TAKE,
    render=_render_lines,
    target=_target,
    filename=lambda job: f"elements-de-langage-{job.object_id}.pdf",
    request_url=lambda job: reverse("influence:lines_pdf", args=[job.object_id]),
    outdated=_outdated,
)
