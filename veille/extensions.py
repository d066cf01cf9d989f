"""What veille contributes to the other apps: its navigation section and badge, dashboard
cards, demo content and the analysis-note PDF."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.extensions import NavSection, PdfDocument, Seeder, dashboard_cards, register
from core.permissions import is_reader

from . import dashboard, demo, selectors, services


def _note_for(user, job):
    return selectors.notes_visible_to(user).filter(pk=job.object_id).first()


def _note_pdf_filename(job) -> str:
    stamp = timezone.localtime(job.finished_at or timezone.now()).strftime("%Y%m%d")
    return f"note-analyse-{job.object_id}-{stamp}.pdf"


register(
    NavSection(
        key="veille",
        label=_("Veille"),
        url_name="veille:inbox",
        visible=is_reader,
        order=30,
        badge=selectors.nav_badge,
        badge_label=_("nouvelles alertes"),
    ),
    Seeder(key="veille", seed=demo.seed, order=20),
    PdfDocument(
        kind=services.NOTE_PDF,
        render=services.note_pdf_render,
        target=_note_for,
        filename=_note_pdf_filename,
        request_url=lambda job: reverse("veille:note_pdf", args=[job.object_id]),
        outdated=lambda job, note: bool(job.finished_at and note.updated_at > job.finished_at),
    ),
)
dashboard_cards(dashboard.cards)
