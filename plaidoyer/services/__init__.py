"""Writes of the plaidoyer app, by domain noun. Every service validates (`full_clean`),
checks that the user may make the change, and audits its own write.

stakeholders (organisations and people, merge, erasure).
"""

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
    "organisation_archive",
    "organisation_create",
    "organisation_delete",
    "organisation_delete_blockers",
    "organisation_update",
    "stakeholder_create",
    "stakeholder_erase",
    "stakeholder_merge",
    "stakeholder_update",
    "stakeholders_contact_refresh",
]
