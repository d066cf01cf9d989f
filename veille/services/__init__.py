"""Writes of the veille, split by domain; import them from here.

sources (sources, OPML import jobs) · fetch (claiming, dispatching, fetching) · triage
(stories, tags, annotations) · rules (watch rules, alerts, digests) · notes (analysis
notes and their PDF).

Two modules are not re-exported and are imported by their own path: ``ingest`` (what a
feed worker does with one source) and ``clustering`` (grouping articles into stories).
The feed parser imports ``clustering``, so this package must not import the parser back:
the modules below import ``ingest``, the selectors and the inbox FilterSet inside their
functions.
"""

from .fetch import (
    FetchNow,
    claim_lease,
    source_claim,
    source_fetch,
    source_fetch_now,
    source_fetch_timed_out,
    sources_claim_due,
    sources_dispatch_due,
)
from .notes import (
    NOTE_PDF,
    note_allowed_transitions,
    note_cite,
    note_create,
    note_delete,
    note_delete_check,
    note_pdf_render,
    note_pdf_request,
    note_set_status,
    note_update,
)
from .rules import (
    alerts_mark_read,
    alerts_read_for_item,
    digest_recipients,
    digest_send,
    rule_create,
    rule_delete,
    rule_feed_enable,
    rule_feed_revoke,
    rule_update,
    watch_rule_evaluate,
    watch_rules_evaluate,
)
from .sources import (
    opml_import_nudge,
    opml_import_send,
    opml_import_start,
    opml_imports_requeue_stale,
    source_create,
    source_delete,
    source_delete_blockers,
    source_update,
)
from .triage import (
    annotation_add,
    annotation_delete,
    cluster_triage,
    stories_add_tags,
    stories_triage,
    story_tag,
)

__all__ = [
    "NOTE_PDF",
    "FetchNow",
    "alerts_mark_read",
    "alerts_read_for_item",
    "annotation_add",
    "annotation_delete",
    "claim_lease",
    "cluster_triage",
    "digest_recipients",
    "digest_send",
    "note_allowed_transitions",
    "note_cite",
    "note_create",
    "note_delete",
    "note_delete_check",
    "note_pdf_render",
    "note_pdf_request",
    "note_set_status",
    "note_update",
    "opml_import_nudge",
    "opml_import_send",
    "opml_import_start",
    "opml_imports_requeue_stale",
    "rule_create",
    "rule_delete",
    "rule_feed_enable",
    "rule_feed_revoke",
    "rule_update",
    "source_claim",
    "source_create",
    "source_delete",
    "source_delete_blockers",
    "source_fetch",
    "source_fetch_now",
    "source_fetch_timed_out",
    "source_update",
    "sources_claim_due",
    "sources_dispatch_due",
    "stories_add_tags",
    "stories_triage",
    "story_tag",
    "watch_rule_evaluate",
    "watch_rules_evaluate",
]
