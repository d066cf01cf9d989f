"""Reads of the plaidoyer app, by domain noun; import them from here.

stakeholders (organisations and people, their pages, merge candidates, personal data) ·
actions (the list, the board, evidence).
"""

from .actions import actions_managed_by, actions_visible_to
from .coalitions import coalitions_managed_by, coalitions_visible_to, statements_visible_to
from .interactions import (
    follow_up_filterset,
    follow_ups_visible_to,
    interaction_detail_queryset,
    interaction_filterset,
    interactions_managed_by,
    interactions_visible_to,
    nav_badge,
    overdue_follow_ups,
    positions_managed_by,
)
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
    "coalitions_managed_by",
    "coalitions_visible_to",
    "countries_managed_by",
    "follow_up_filterset",
    "follow_ups_visible_to",
    "grid_stakeholders",
    "interaction_detail_queryset",
    "interaction_filterset",
    "interactions_managed_by",
    "interactions_visible_to",
    "merge_candidates",
    "nav_badge",
    "organisation_filterset",
    "organisation_interactions",
    "organisations_managed_by",
    "organisations_visible_to",
    "overdue_follow_ups",
    "personal_data_rows",
    "position_history",
    "positions_managed_by",
    "stakeholder_filterset",
    "stakeholder_interactions",
    "stakeholders_managed_by",
    "stakeholders_visible_to",
    "statements_visible_to",
]
