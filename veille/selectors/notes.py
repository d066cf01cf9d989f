"""Reads of analysis notes: who sees which note, versions, citations."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.models import Role
from core.scoping import get_scope, is_coordinator

from ..models import AnalysisNote, Item, NoteVersion
from ..permissions import READER_ROLES, can_write_notes


def notes_visible_to(user) -> QuerySet[AnalysisNote]:
    """Drafts: author + coordinators; review: + advocacy officers; published: readers."""
    scope = get_scope(user)
    if not scope.has_role(*READER_ROLES):
        return AnalysisNote.objects.none()
    if scope.is_unit_wide(Role.COORDINATOR):
        return AnalysisNote.objects.all()
    visible = Q(status=AnalysisNote.Status.PUBLISHED) | Q(author_id=user.pk)
    if scope.has_role(Role.ADVOCACY_OFFICER):
        visible |= Q(status=AnalysisNote.Status.REVIEW)
    return AnalysisNote.objects.filter(visible)


def note_versions(note: AnalysisNote) -> QuerySet[NoteVersion]:
    return note.versions.select_related("author").order_by("-number")


def note_citations(note: AnalysisNote) -> list[Item]:
    """The articles a note cites, oldest first, numbered in that order ([1], [2]…)."""
    return list(
        note.cited_items.select_related("source")
        .defer("content", "summary", "search_vector", "title_tokens")
        .order_by("published_at", "pk")
    )


def notes_citing(item: Item, user) -> QuerySet[AnalysisNote]:
    """The notes citing this article that the user may see."""
    return notes_visible_to(user).filter(cited_items=item).order_by("-updated_at")


def notes_editable_by(user) -> QuerySet[AnalysisNote]:
    """Notes the user can add a citation to (for the "Citer dans une note" menu)."""
    if not can_write_notes(user):
        return AnalysisNote.objects.none()
    if is_coordinator(user):
        return AnalysisNote.objects.all()
    return AnalysisNote.objects.filter(author_id=user.pk).exclude(
        status=AnalysisNote.Status.PUBLISHED
    )
