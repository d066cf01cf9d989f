"""Reads of the veille, split by domain; import them from here.

sources (list, health, OPML imports) · items (what a user may read, the inbox, stories,
one article, the CSV export) · rules (watch rules, alerts, the navigation badge) · notes
(analysis notes, versions, citations). ``search`` (the query language of the inbox, used
by the inbox FilterSet) is imported by its own path.
"""

from .items import (
    STATUS_TONES,
    InboxResult,
    StoryRow,
    export_columns,
    export_items,
    inbox_filterset,
    inbox_row,
    inbox_stories,
    item_detail,
    items_visible_to,
    story_members,
)
from .notes import (
    NOTE_PDF,
    NoteFilterSet,
    note_citations,
    note_list,
    note_versions,
    notes_citing,
    notes_editable_by,
    notes_visible_to,
)
from .rules import (
    UNREAD_ALERTS,
    AlertFilterSet,
    RuleFilterSet,
    alert_list,
    alerts_of,
    nav_badge,
    rule_items,
    rule_list,
    rules_of,
)
from .sources import (
    SourceFilterSet,
    SourceHealthFilterSet,
    failing_sources_count,
    opml_imports_for,
    source_health,
    source_list,
    source_recent_items,
    sources_for,
)
from .trends import theme_weeks

__all__ = [
    "NOTE_PDF",
    "STATUS_TONES",
    "UNREAD_ALERTS",
    "AlertFilterSet",
    "InboxResult",
    "NoteFilterSet",
    "RuleFilterSet",
    "SourceFilterSet",
    "SourceHealthFilterSet",
    "StoryRow",
    "alert_list",
    "alerts_of",
    "export_columns",
    "export_items",
    "failing_sources_count",
    "inbox_filterset",
    "inbox_row",
    "inbox_stories",
    "item_detail",
    "items_visible_to",
    "nav_badge",
    "note_citations",
    "note_list",
    "note_versions",
    "notes_citing",
    "notes_editable_by",
    "notes_visible_to",
    "opml_imports_for",
    "rule_items",
    "rule_list",
    "rules_of",
    "source_health",
    "source_list",
    "source_recent_items",
    "sources_for",
    "story_members",
    "theme_weeks",
]
