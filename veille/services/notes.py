"""Writes of analysis notes: versions, review and publication, citations, and their PDF.

Every function checks who may edit which note, so a view cannot forget it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation

from core.models import AuditEvent, Country, PdfJob, Theme
from core.pdf import RenderedPdf
from core.pdf_jobs import pdf_job_request, pdf_jobs_delete
from core.services import audit_record

from ..models import NOTE_PDF, AnalysisNote, Item, NoteVersion
from ..permissions import can_edit_note, can_publish_note, can_write_notes

logger = logging.getLogger(__name__)


# --- analysis notes ----------------------------------------------------------------------


def _note_snapshot(note: AnalysisNote, *, author) -> NoteVersion:
    number = (note.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    return NoteVersion.objects.create(
        note=note,
        number=number,
        title=note.title,
        body=note.body,
        status=note.status,
        audience=note.audience,
        cited_item_ids=sorted(note.cited_items.values_list("pk", flat=True)),
        author=author,
    )


@transaction.atomic
def note_create(
    *,
    author,
    title: str,
    body: str = "",
    audience: str = AnalysisNote.Audience.INTERNAL,
    themes: Iterable[Theme] = (),
    countries: Iterable[Country] = (),
    cited_items: Iterable[Item] = (),
    request=None,
) -> AnalysisNote:
    if not can_write_notes(author):
        raise PermissionDenied
    note = AnalysisNote(
        author=author, updated_by=author, title=title.strip(), body=body, audience=audience
    )
    note.full_clean()
    note.save()
    note.themes.set(themes)
    note.countries.set(countries)
    note.cited_items.set(cited_items)
    _note_snapshot(note, author=author)
    audit_record(actor=author, action=AuditEvent.Action.CREATE, obj=note, request=request)
    return note


@transaction.atomic
def note_update(
    *,
    note: AnalysisNote,
    user,
    title: str,
    body: str,
    audience: str,
    themes: Iterable[Theme] = (),
    countries: Iterable[Country] = (),
    request=None,
) -> bool:
    """Save a new version of the note; returns False when nothing changed."""
    note = AnalysisNote.objects.select_for_update().get(pk=note.pk)
    if not can_edit_note(user, note):
        raise PermissionDenied
    themes, countries = list(themes), list(countries)
    changed = (
        note.title != title.strip()
        or note.body != body
        or note.audience != audience
        or {t.pk for t in themes} != set(note.themes.values_list("pk", flat=True))
        or {c.pk for c in countries} != set(note.countries.values_list("pk", flat=True))
    )
    if not changed:
        return False
    note.title, note.body, note.audience = title.strip(), body, audience
    note.updated_by = user
    note.full_clean()
    note.save()
    note.themes.set(themes)
    note.countries.set(countries)
    _note_snapshot(note, author=user)
    audit_record(
        actor=user, action=AuditEvent.Action.CHANGE, obj=note, request=request, detail={"v": 1}
    )
    return True


# Who may move a note from one status to another (besides seeing it).
_TRANSITIONS = {
    (AnalysisNote.Status.DRAFT, AnalysisNote.Status.REVIEW): "editor",
    (AnalysisNote.Status.REVIEW, AnalysisNote.Status.DRAFT): "editor",
    (AnalysisNote.Status.DRAFT, AnalysisNote.Status.PUBLISHED): "publisher",
    (AnalysisNote.Status.REVIEW, AnalysisNote.Status.PUBLISHED): "publisher",
    (AnalysisNote.Status.PUBLISHED, AnalysisNote.Status.DRAFT): "publisher",
}


def note_allowed_transitions(note: AnalysisNote, user) -> list[str]:
    allowed = []
    for (origin, target), who in _TRANSITIONS.items():
        if origin != note.status:
            continue
        if (who == "publisher" and can_publish_note(user)) or (
            who == "editor" and can_edit_note(user, note)
        ):
            allowed.append(target)
    return allowed


@transaction.atomic
def note_set_status(*, note: AnalysisNote, user, status: str, request=None) -> AnalysisNote:
    note = AnalysisNote.objects.select_for_update().get(pk=note.pk)
    if status not in note_allowed_transitions(note, user):
        raise PermissionDenied
    note.status = status
    note.updated_by = user
    if status == AnalysisNote.Status.PUBLISHED:
        note.published_at = timezone.now()
    elif note.published_at and status == AnalysisNote.Status.DRAFT:
        note.published_at = None
    note.save(update_fields=["status", "published_at", "updated_by", "updated_at"])
    _note_snapshot(note, author=user)
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=note,
        request=request,
        detail={"status": status},
    )
    return note


@transaction.atomic
def note_cite(*, note: AnalysisNote, user, item: Item, cite: bool = True) -> bool:
    """Add (or remove) an article among the note's citations; a version is recorded."""
    note = AnalysisNote.objects.select_for_update().get(pk=note.pk)
    if not can_edit_note(user, note):
        raise PermissionDenied
    already = note.cited_items.filter(pk=item.pk).exists()
    if already == cite:
        return False
    if cite:
        note.cited_items.add(item)
    else:
        note.cited_items.remove(item)
    note.updated_by = user
    note.save(update_fields=["updated_by", "updated_at"])
    _note_snapshot(note, author=user)
    return True


# --- note PDF ----------------------------------------------------------------------------


def note_pdf_request(*, note: AnalysisNote, user, request=None) -> PdfJob:
    """Ask for the note's PDF (the generic PDF job renders it in a worker)."""
    return pdf_job_request(
        kind=NOTE_PDF, object_id=note.pk, user=user, request=request, audit_obj=note
    )


def note_pdf_render(job: PdfJob) -> RenderedPdf:
    """The note as a PDF document (called by the PDF job in a worker)."""
    from core.pdf import render_pdf

    from ..markdown import render_note_markdown
    from ..selectors.notes import note_citations

    note = (
        AnalysisNote.objects.select_related("author")
        .prefetch_related("themes", "countries")
        .get(pk=job.object_id)
    )
    citations = note_citations(note)
    version = note.versions.aggregate(m=Max("number"))["m"] or 1
    context = {
        "note": note,
        "body_html": render_note_markdown(note.body, citations=citations),
        "citations": citations,
        "version": version,
        "generated_at": timezone.now(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(template_name="veille/pdf/note.html", context=context)


def note_delete_check(note: AnalysisNote, user) -> None:
    if not can_edit_note(user, note):
        raise PermissionDenied


@transaction.atomic
def note_delete(*, note: AnalysisNote, user, request=None) -> None:
    """Delete a draft note (coordinators may delete any note)."""
    note_delete_check(note, user)
    audit_record(actor=user, action=AuditEvent.Action.DELETE, obj=note, request=request)
    pdf_jobs_delete(kind=NOTE_PDF, object_id=note.pk)
    note.delete()
