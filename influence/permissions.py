"""Who may do what in influence: every `can_*` of the app, built from core's role groups.

Strategies, objectives, key messages and the political calendar are unit-wide desk work:
every reader sees them. Writing is for coordinators (anything) and advocacy officers
(their country's strategy, its objectives and variants); the communication department
writes and proposes messages. Validation and approval belong to coordinators.
"""

from __future__ import annotations

from core.models import Role
from core.permissions import (
    COORDINATORS,
    EVERYONE,
    READERS,
    WRITERS,
    has_role,
    has_unit_role,
)
from core.scoping import get_scope

MESSAGE_WRITERS = WRITERS | {Role.COMMUNICATION}


def can_view_dashboard(user) -> bool:
    """Everyone with a role gets the dashboard, with the cards of their scope."""
    return has_role(user, EVERYONE)


def can_read(user) -> bool:
    return has_role(user, READERS)


def can_write(user) -> bool:
    """Create and edit strategies, objectives and events (within scope)."""
    return has_role(user, WRITERS)


def can_manage_unit(user) -> bool:
    """The unit strategy, validation, archiving: coordinators."""
    return has_unit_role(user, COORDINATORS)


def can_write_messages(user) -> bool:
    return has_role(user, MESSAGE_WRITERS)


def can_approve_messages(user) -> bool:
    return has_unit_role(user, COORDINATORS)


def can_edit_strategy(user, strategy) -> bool:
    scope = get_scope(user)
    if scope.is_unit_wide(Role.COORDINATOR):
        return True
    if strategy.country_id is None:
        return False
    return strategy.country_id in scope.country_ids(Role.ADVOCACY_OFFICER)


def can_edit_message(user, message) -> bool:
    scope = get_scope(user)
    if scope.is_unit_wide(Role.COORDINATOR, Role.COMMUNICATION):
        return message.status != message.Status.RETIRED
    if message.country_id is None or message.status == message.Status.RETIRED:
        return False
    return message.country_id in scope.country_ids(Role.ADVOCACY_OFFICER)


def can_use_calendar_feed(user) -> bool:
    return has_role(user, READERS)


# --- Monthly briefing ---------------------------------------------------------------------
# Readers of the unit's desk work read briefings; the internal edition (it quotes testimony
# extracts cleared for internal use only) goes to the roles that work with testimonies:
# coordinators, advocacy officers and the communication department. Viewers read the
# partners edition, written to leave the organisation. Coordinators make the briefings
# (period, editorial introduction, sections, generation).

BRIEFING_INTERNAL_ROLES = frozenset({Role.COORDINATOR, Role.ADVOCACY_OFFICER, Role.COMMUNICATION})


def can_read_briefings(user) -> bool:
    return has_role(user, READERS)


def briefing_audiences(user) -> list[str]:
    """The audiences of the briefings `user` may read."""
    if not can_read_briefings(user):
        return []
    if has_role(user, BRIEFING_INTERNAL_ROLES):
        return ["internal", "partners"]
    return ["partners"]


def can_manage_briefings(user) -> bool:
    return has_unit_role(user, COORDINATORS)
