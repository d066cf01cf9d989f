"""Reads of the plaidoyer app, by domain noun; import them from here.

stakeholders (organisations and people, their pages, merge candidates, personal data) ·
actions (the list, the board, evidence).
"""

from .actions import actions_managed_by, actions_visible_to
from .stakeholders import (
    GRID_LIMIT,
    ThemeHistory,
    actions_targeting,
    countries_managed_by,
    grid_stakeholders,
    merge_candidates,
    organisation_filterset,
    organisation_interactions,
    organisations_managed_by,
    organisations_visible_to,
    personal_data_rows,
    position_history,
    stakeholder_filterset,
    stakeholder_interactions,
    stakeholders_managed_by,
    stakeholders_visible_to,
)

__all__ = [
    "GRID_LIMIT",
    "ThemeHistory",
    "actions_managed_by",
    "actions_targeting",
    "actions_visible_to",
    "countries_managed_by",
    "grid_stakeholders",
    "merge_candidates",
    "organisation_filterset",
    "organisation_interactions",
    "organisations_managed_by",
    "organisations_visible_to",
    "personal_data_rows",
    "position_history",
    "stakeholder_filterset",
    "stakeholder_interactions",
    "stakeholders_managed_by",
    "stakeholders_visible_to",
]
