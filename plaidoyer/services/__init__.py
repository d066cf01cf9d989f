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
    "budget_warning",
    "deliverable_delete",
    "deliverable_upload",
    "follow_up_create",
    "follow_up_delete",
    "follow_up_mark",
    "interaction_create",
    "interaction_delete",
    "interaction_update",
    "organisation_archive",
    "organisation_create",
    "organisation_delete",
    "organisation_delete_blockers",
    "organisation_update",
    "position_create",
    "position_delete",
    "stakeholder_create",
    "stakeholder_erase",
    "stakeholder_merge",
    "stakeholder_update",
    "stakeholders_contact_refresh",
]
