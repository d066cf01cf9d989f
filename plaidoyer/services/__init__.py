"""Writes of the plaidoyer app, by domain noun. Every service validates (`full_clean`),
checks that the user may make the change, and audits its own write.

stakeholders (organisations and people, merge, erasure).
"""

from .actions import (
    action_create,
    action_delete,
    action_item_add,
    action_item_remove,
    action_testimony_attach,
    action_testimony_remove,
    action_transition,
    action_update,
    budget_warning,
    deliverable_delete,
    deliverable_upload,
)
from .budget import budget_line_create, budget_line_update
from .coalitions import (
    coalition_create,
    coalition_update,
    signature_set,
    statement_create,
    statement_update,
)
from .imports import expected_columns, import_plan_from_file, stakeholders_import
from .interactions import (
    follow_up_create,
    follow_up_delete,
    follow_up_mark,
    interaction_create,
    interaction_delete,
    interaction_update,
    position_create,
    position_delete,
)
from .outcomes import (
    lesson_create,
    lesson_update,
    markers_tick,
    outcome_create,
    outcome_update,
)
from .stakeholders import (
    organisation_archive,
    organisation_create,
    organisation_delete,
    organisation_delete_blockers,
    organisation_update,
    stakeholder_create,
    stakeholder_erase,
    stakeholder_merge,
    stakeholder_update,
    stakeholders_contact_refresh,
)

__all__ = [
    "action_create",
    "action_delete",
    "action_item_add",
    "action_item_remove",
    "action_testimony_attach",
    "action_testimony_remove",
    "action_transition",
    "action_update",
    "budget_line_create",
    "budget_line_update",
    "budget_warning",
    "coalition_create",
    "coalition_update",
    "deliverable_delete",
    "deliverable_upload",
    "expected_columns",
    "follow_up_create",
    "follow_up_delete",
    "follow_up_mark",
    "import_plan_from_file",
    "interaction_create",
    "interaction_delete",
    "interaction_update",
    "lesson_create",
    "lesson_update",
    "markers_tick",
    "organisation_archive",
    "organisation_create",
    "organisation_delete",
    "organisation_delete_blockers",
    "organisation_update",
    "outcome_create",
    "outcome_update",
    "position_create",
    "position_delete",
    "signature_set",
    "stakeholder_create",
    "stakeholder_erase",
    "stakeholder_merge",
    "stakeholder_update",
    "stakeholders_contact_refresh",
    "stakeholders_import",
    "statement_create",
    "statement_update",
]
