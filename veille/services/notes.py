"""Writes of analysis notes: versions, review and publication, citations, and their PDF.

Every function checks who may edit which note, so a view cannot forget it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation

from core.models import AuditEvent, Country, Theme
from core.services import audit_record

from ..models import AnalysisNote, Item, NoteVersion
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

PDF_DIR = "veille/notes"


def note_pdf_request(*, note: AnalysisNote, user, request=None) -> bool:
    """Queue a PDF render (no-op while one is already queued or rendering)."""
    from ..tasks import render_note_pdf

    busy = (AnalysisNote.PdfStatus.QUEUED, AnalysisNote.PdfStatus.RENDERING)
    with transaction.atomic():
        claimed = (
            AnalysisNote.objects.filter(pk=note.pk)
            .exclude(pdf_status__in=busy)
            .update(
                pdf_status=AnalysisNote.PdfStatus.QUEUED,
                pdf_error="",
                pdf_requested_at=timezone.now(),
                pdf_requested_by=user,
            )
        )
        if claimed:
            render_note_pdf.delay_on_commit(note.pk)
            audit_record(
                actor=user,
                action=AuditEvent.Action.EXPORT,
                obj=note,
                request=request,
                detail={"format": "pdf", "step": "requested"},
            )
    note.refresh_from_db()
    return bool(claimed)


def note_pdf_render(*, note_id: int) -> str:
    """Render the note to PDF (called by the worker). Returns the final PDF status.

    Claims the job with a conditional UPDATE (queued → rendering), so a message delivered
    twice renders once. The file is written next to its final name then renamed.
    """
    from core.pdf import render_pdf

    from ..markdown import render_markdown
    from ..selectors.notes import note_citations

    claimed = AnalysisNote.objects.filter(
        pk=note_id, pdf_status=AnalysisNote.PdfStatus.QUEUED
    ).update(pdf_status=AnalysisNote.PdfStatus.RENDERING)
    if not claimed:
        return "skipped"
    note = (
        AnalysisNote.objects.select_related("author")
        .prefetch_related("themes", "countries")
        .get(pk=note_id)
    )
    citations = note_citations(note)
    version = note.versions.aggregate(m=Max("number"))["m"] or 1
    context = {
        "note": note,
        "body_html": render_markdown(note.body, citations=citations),
        "citations": citations,
        "version": version,
        "generated_at": timezone.now(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        pdf = render_pdf(template_name="veille/pdf/note.html", context=context)
    relative = f"{PDF_DIR}/note-{note.pk}-v{version}-{secrets.token_hex(6)}.pdf"
    target = Path(settings.PRIVATE_STORAGE_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(pdf)
    partial.replace(target)
    previous = note.pdf_path
    AnalysisNote.objects.filter(pk=note_id).update(
        pdf_status=AnalysisNote.PdfStatus.READY,
        pdf_path=relative,
        pdf_rendered_at=timezone.now(),
        pdf_error="",
    )
    if previous and previous != relative:
        _remove_private_file(previous)
    return AnalysisNote.PdfStatus.READY


def note_pdf_failed(*, note_id: int, reason: str) -> None:
    AnalysisNote.objects.filter(pk=note_id).exclude(pdf_status=AnalysisNote.PdfStatus.READY).update(
        pdf_status=AnalysisNote.PdfStatus.FAILED, pdf_error=reason[:500]
    )


def note_pdf_file(note: AnalysisNote) -> Path | None:
    """The note's PDF on disk, if it is ready (and really inside the private storage)."""
    if note.pdf_status != AnalysisNote.PdfStatus.READY or not note.pdf_path:
        return None
    root = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
    path = (root / note.pdf_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def _remove_private_file(relative: str) -> None:
    root = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
    path = (root / relative).resolve()
    if path.is_relative_to(root):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            logger.warning("could not remove an old note PDF")


def note_delete_check(note: AnalysisNote, user) -> None:
    if not can_edit_note(user, note):
        raise PermissionDenied


@transaction.atomic
def note_delete(*, note: AnalysisNote, user, request=None) -> None:
    """Delete a draft note (coordinators may delete any note)."""
    note_delete_check(note, user)
    path = note.pdf_path
    audit_record(actor=user, action=AuditEvent.Action.DELETE, obj=note, request=request)
    note.delete()
    if path:
        transaction.on_commit(lambda: _remove_private_file(path))
