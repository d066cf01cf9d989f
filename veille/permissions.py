"""Who may do what in the veille: every predicate of the app, declared once.

- Read the veille (sources, inbox, items, stories, annotations, published notes, CSV
  export): ``READER_ROLES`` — coordinator, advocacy officer, communication, viewer, whatever
  the country or site of the membership (feed items are public information gathered for
  the whole unit). Field comms officers get a 403 on every veille page.
- Manage sources (create, edit, delete, fetch now, OPML import): unit-wide coordinators.
- Triage (status, importance, themes, countries, bulk actions, "mark as read") and
  annotations: ``TRIAGE_ROLES`` — coordinators and advocacy officers. An annotation can be
  deleted by its author only.
- Watch rules, alerts and the private feeds belong to their owner (404 for anybody else).
- Analysis notes (see ``selectors.notes_visible_to``):
    * draft: the author and coordinators;
    * review: the author, coordinators and advocacy officers;
    * published: every reader role.
  Writing a note: coordinators and advocacy officers. Editing: the author while the note
  is a draft or in review, coordinators always. Publishing (and unpublishing):
  coordinators only. Generating and downloading the PDF: anybody who can see the note
  (every download is audited).
"""

from __future__ import annotations

from core.permissions import READERS, WRITERS, has_role, is_coordinator

from .models import AnalysisNote

# Role groups of the veille, from core's vocabulary (also used by scoped selectors).
READER_ROLES = tuple(sorted(READERS))
TRIAGE_ROLES = tuple(sorted(WRITERS))
NOTE_WRITER_ROLES = tuple(sorted(WRITERS))


def can_read(user) -> bool:
    return has_role(user, READERS)


def can_manage_sources(user) -> bool:
    return is_coordinator(user)


def can_triage(user) -> bool:
    return has_role(user, WRITERS)


def can_write_notes(user) -> bool:
    return has_role(user, WRITERS)


def can_edit_note(user, note: AnalysisNote) -> bool:
    if is_coordinator(user):
        return True
    return (
        note.author_id == user.pk
        and note.status != AnalysisNote.Status.PUBLISHED
        and can_write_notes(user)
    )


def can_publish_note(user) -> bool:
    return is_coordinator(user)
