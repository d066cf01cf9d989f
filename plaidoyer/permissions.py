"""Who may do what in plaidoyer: every predicate of the app, declared once.

- **Read**: the readers of the unit's desk work (coordinators, advocacy officers,
  communication, viewers) read organisations, stakeholders, actions, coalitions, outcomes,
  lessons and budget; field officers see nothing here (not even the section).
- **Confidential interactions**: unit-wide coordinators and their author only (and their
  follow-ups with them).
- **Write**: coordinators anything; advocacy officers the records of their country (an
  organisation, a stakeholder, an interaction, an action… whose country is theirs).
- **Budget lines, erasure of a person's data**: unit-wide coordinators.

Views declare these with `core.permissions.access_required` (whole pages) and
`object_access(loader, check)` (one object: the loader answers 404 outside what the user
may read, the check 403 when they may read but not change it).
"""

from __future__ import annotations

from django.db.models import Q

from core.models import Role
from core.permissions import READERS, WRITERS, has_role, is_coordinator
from core.scoping import get_scope, scope_filter

# --- Whole pages ----------------------------------------------------------------------------


def can_read(user) -> bool:
    return has_role(user, READERS)


def can_write(user) -> bool:
    """Create records (in the countries the user manages)."""
    return has_role(user, WRITERS)


def can_manage_budget(user) -> bool:
    return is_coordinator(user)


def can_erase_personal_data(user) -> bool:
    return is_coordinator(user)


def can_import(user) -> bool:
    return has_role(user, WRITERS)


# --- Scope of writes ----------------------------------------------------------------------


def managed_country_ids(user) -> frozenset[int] | None:
    """The countries whose records `user` manages; None means every country."""
    scope = get_scope(user)
    if scope.is_unit_wide(Role.COORDINATOR, Role.ADVOCACY_OFFICER):
        return None
    return scope.country_ids(Role.COORDINATOR, Role.ADVOCACY_OFFICER)


def manages_country(user, country_id: int | None) -> bool:
    countries = managed_country_ids(user)
    return countries is None or (country_id is not None and country_id in countries)


def managed_q(user, country_field: str = "country") -> Q | None:
    """A filter keeping the rows `user` manages (None: all of them)."""
    return scope_filter(
        user, roles=[Role.COORDINATOR, Role.ADVOCACY_OFFICER], country_field=country_field
    )


def can_edit(user, obj) -> bool:
    """Change an organisation, stakeholder, interaction, action, coalition, outcome or lesson:
    coordinators, and advocacy officers for their country's records."""
    return can_write(user) and manages_country(user, obj.country_id)


def can_edit_position(user, position) -> bool:
    return can_write(user) and manages_country(user, position.stakeholder.country_id)


def can_edit_follow_up(user, follow_up) -> bool:
    """The interaction's editors, and the follow-up's owner (to tick it done)."""
    return follow_up.owner_id == getattr(user, "pk", None) or can_edit(user, follow_up.interaction)


def can_edit_statement(user, statement) -> bool:
    return can_edit(user, statement.coalition)


def can_edit_budget_line(user, line) -> bool:
    return can_manage_budget(user)


def can_merge(user, stakeholder) -> bool:
    return can_edit(user, stakeholder)


def can_export_personal_data(user, stakeholder) -> bool:
    return can_edit(user, stakeholder)


def can_erase(user, stakeholder) -> bool:
    return can_erase_personal_data(user)


# --- Confidential interactions ------------------------------------------------------------


def interaction_visibility_q(user, prefix: str = "") -> Q | None:
    """Interactions `user` may read (None: all): confidential ones belong to
    coordinators and their author."""
    if is_coordinator(user):
        return None
    return Q(**{f"{prefix}sensitivity": "normal"}) | Q(**{f"{prefix}author_id": user.pk})


def can_see_interaction(user, interaction) -> bool:
    if not can_read(user):
        return False
    return (
        not interaction.is_confidential or is_coordinator(user) or interaction.author_id == user.pk
    )
