"""Who may do what with testimonies: every predicate of the app, declared once.

- See testimonies at all: coordinators, field officers, advocacy officers, communication
  (viewers never: testimonies are the most sensitive data of the unit). Which ones each
  role sees is the scoping of ``selectors.testimonies_visible_to``.
- Review, the identity register, retention, the forms builder and the collection
  objectives: unit-wide coordinators (``is_reviewer``, ``can_review``).
- Collect (the wizard, the offline field app): field officers and coordinators
  (``is_collector``); at a given site: unit-wide coordinators and field officers, and
  the field officers of that site (``can_collect_at``).
- Edit the content (narrative, profile, answers) and manage consent: see the functions.
- Views declare these with ``core.permissions.access_required`` (whole pages) and
  ``object_access`` (one testimony, with an object-level check such as
  ``can_manage_consent``).
- Export: the modes a user may choose match what they could read on the detail page
  (``export_audiences``); what one user may see of one testimony is ``testimony_access``.
"""

# ruff: noqa: PT028 — `testimony_access` is a permission check, not a pytest test.

from __future__ import annotations

from dataclasses import dataclass

from core.models import Role, Site
from core.permissions import (
    COORDINATORS,
    EVERYONE,
    FIELD,
    READERS,
    WRITERS,
    has_role,
    is_coordinator,
)
from core.scoping import get_scope

from .models import Audience, MediaAttachment, Testimony

# --- Role groups of the app (built from core's) -----------------------------------------

# Who may see testimonies at all: every role but viewers.
TESTIMONY_READERS = (READERS | FIELD) - {Role.VIEWER}
# Who collects testimonies (the wizard, the field app offline).
COLLECTORS = FIELD | COORDINATORS
# Who may export with the original text (metadata or internal), and for partners/public.
INTERNAL_EXPORTERS = WRITERS | FIELD
EXTERNAL_EXPORTERS = COORDINATORS | FIELD | {Role.COMMUNICATION}


# --- Whole pages --------------------------------------------------------------------------


def can_see_testimonies(user) -> bool:
    return has_role(user, TESTIMONY_READERS)


def can_open_home(user) -> bool:
    """The Témoignages landing page: anyone with a role (those who may see no testimony
    are told why there)."""
    return has_role(user, EVERYONE)


def is_reviewer(user) -> bool:
    """Review (and the identity register) belong to unit-wide coordinators."""
    return is_coordinator(user)


def can_review(user, testimony: Testimony | None = None) -> bool:
    """Review, safeguarding review, takedowns, retention, the identity register, the forms
    builder and the collection objectives: unit-wide coordinators (the testimony, when
    given, is already in the user's scope)."""
    return is_reviewer(user)


def is_collector(user) -> bool:
    """The submission wizard and the offline field app: field officers and coordinators."""
    return has_role(user, COLLECTORS)


def can_renew_consents(user) -> bool:
    """The list of consents to renew: coordinators and the officers of a site."""
    scope = get_scope(user)
    return (
        scope.is_unit_wide(Role.COORDINATOR)
        or scope.is_unit_wide(Role.FIELD_COMMS)
        or bool(scope.site_ids(Role.FIELD_COMMS))
    )


# --- One testimony ------------------------------------------------------------------------


def can_collect_at(user, site: Site) -> bool:
    scope = get_scope(user)
    if scope.is_unit_wide(Role.COORDINATOR, Role.FIELD_COMMS):
        return True
    return site.pk in scope.site_ids(Role.FIELD_COMMS)


def can_edit_content(user, testimony: Testimony) -> bool:
    """Narrative, profile, answers: the collecting officer (or a colleague of the site) while
    it is a draft or was sent back; coordinators at any time before it is withdrawn."""
    if testimony.status in (Testimony.Status.WITHDRAWN, Testimony.Status.ARCHIVED):
        return False
    if is_reviewer(user):
        return True
    return testimony.is_editable and can_collect_at(user, testimony.site)


def can_open_in_wizard(user, testimony: Testimony) -> bool:
    """The wizard on one testimony (already in the user's scope): a draft only for those
    who may edit it; a testimony sent (or sent back) opens its "sent" page or resumes."""
    return testimony.status != Testimony.Status.DRAFT or can_edit_content(user, testimony)


def can_manage_consent(user, testimony: Testimony) -> bool:
    """Record, renew or withdraw consent: coordinators and the site's field officers."""
    if testimony.status == Testimony.Status.ARCHIVED:
        return False
    return is_reviewer(user) or can_collect_at(user, testimony.site)


def can_send_queued(user, testimony: Testimony | None) -> bool:
    """A testimony typed offline, sent step by step: a new one (None), one already sent
    (the answer says so, nothing changes), or a draft the user may edit."""
    return testimony is None or not testimony.is_editable or can_edit_content(user, testimony)


# --- Exports ------------------------------------------------------------------------------


def export_audiences(user) -> list[str]:
    """Which export modes a user may choose (what they could read on the detail page)."""
    audiences: list[str] = []
    if has_role(user, INTERNAL_EXPORTERS):
        audiences += ["metadata", "internal"]
    if has_role(user, EXTERNAL_EXPORTERS):
        audiences += ["partners", "public"]
    return audiences


def can_export_testimonies(user) -> bool:
    return bool(export_audiences(user))


# --- What one user may see of one testimony -----------------------------------------------


@dataclass(frozen=True)
class TestimonyAccess:
    """What the detail page shows to this user (the testimony is already in their scope).

    - `full`: coordinators and the site's field officers — original, consent, media,
      uses, history;
    - `internal_reader`: advocacy officers, when the gate allows internal use — the
      original narrative and the media whose element the consent covers internally;
    - `external_reader`: communication, when the gate allows partners or public — the
      redacted version and the media the consent covers for that audience only.
    """

    full: bool
    reviewer: bool
    internal_reader: bool
    external_reader: bool
    external_audiences: tuple[str, ...] = ()

    @property
    def tabs(self) -> list[str]:
        if self.full:
            return ["recit", "externe", "consentement", "medias", "utilisations", "historique"]
        tabs = []
        if self.internal_reader:
            tabs += ["recit", "externe", "medias", "utilisations"]
        elif self.external_reader:
            tabs += ["externe", "medias"]
        return tabs

    def media_allowed(self, testimony: Testimony, media: MediaAttachment, *, on=None) -> bool:
        from .gate import testimony_usability

        if self.full:
            return True
        element = media.required_element
        if self.internal_reader:
            return testimony_usability(testimony, Audience.INTERNAL, on=on, element=element).allowed
        return any(
            testimony_usability(testimony, audience, on=on, element=element).allowed
            for audience in self.external_audiences
        )


def testimony_access(user, testimony: Testimony, *, panel=None) -> TestimonyAccess:
    """`panel` is `gate.usability_panel(testimony)` when the caller already has it."""
    from .gate import usability_panel

    scope = get_scope(user)
    reviewer = scope.is_unit_wide(Role.COORDINATOR)
    site_officer = testimony.site_id in scope.site_ids(Role.FIELD_COMMS)
    full = reviewer or site_officer
    if full:
        return TestimonyAccess(
            full=True, reviewer=reviewer, internal_reader=True, external_reader=True
        )
    panel = {u.audience: u.allowed for u in (panel or usability_panel(testimony))}
    advocacy = scope.is_unit_wide(Role.ADVOCACY_OFFICER) or (
        testimony.site.country_id in scope.country_ids(Role.ADVOCACY_OFFICER)
        or testimony.site_id in scope.site_ids(Role.ADVOCACY_OFFICER)
    )
    internal_reader = advocacy and panel.get(Audience.INTERNAL, False)
    external = tuple(a for a in (Audience.PARTNERS, Audience.PUBLIC) if panel.get(a, False))
    external_reader = scope.has_role(Role.COMMUNICATION) and bool(external)
    return TestimonyAccess(
        full=False,
        reviewer=False,
        internal_reader=bool(internal_reader),
        external_reader=external_reader,
        external_audiences=external,
    )
