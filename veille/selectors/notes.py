"""Reads of analysis notes: who sees which note, versions, citations."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import ListFilterSet, SortFilter
from core.models import Role
from core.pdf_jobs import latest_pdf_status
from core.scoping import get_scope, is_coordinator

from ..models import NOTE_PDF, AnalysisNote, Item, NoteVersion
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


class NoteFilterSet(ListFilterSet):
    """The notes list: `?status=`, `?audience=`, `?author=me`, `?sort=`."""

    status = django_filters.ChoiceFilter(
        label=_("Statut"), choices=AnalysisNote.Status.choices, empty_label=_("Tous")
    )
    audience = django_filters.ChoiceFilter(
        label=_("Public"), choices=AnalysisNote.Audience.choices, empty_label=_("Tous")
    )
    author = django_filters.ChoiceFilter(
        label=_("Auteur"), choices=[("me", _("Mes notes"))], method="filter_author"
    )
    sort = SortFilter(
        fields={"title": "title", "status": "status", "updated": "updated_at"},
        default="-updated",
    )

    class Meta:
        model = AnalysisNote
        fields: list[str] = []

    def filter_author(self, queryset, name, value):
        return queryset.filter(author_id=self.request.user.pk) if value == "me" else queryset


def note_list(request) -> NoteFilterSet:
    """The notes `request.user` may read, filtered and sorted from the query string."""
    notes = (
        notes_visible_to(request.user)
        .select_related("author")
        .prefetch_related("themes")
        .annotate(pdf_status=latest_pdf_status(NOTE_PDF))
    )
    return NoteFilterSet(request.GET, queryset=notes, request=request)
