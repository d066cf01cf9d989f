"""Who may do what with testimonies: every predicate of the app, declared once.

- See testimonies at all: coordinators, field officers, advocacy officers, communication
  (viewers never: testimonies are the most sensitive data of the unit). Which ones each
  role sees is the scoping of ``selectors.testimonies_visible_to``.
- Review, the identity register, retention: unit-wide coordinators (``is_reviewer``).
- Collect at a site: unit-wide coordinators and field officers, and the field officers
  of that site.
- Edit the content (narrative, profile, answers) and manage consent: see the functions.
- Export: the modes a user may choose match what they could read on the detail page
  (``export_audiences``); what one user may see of one testimony is ``testimony_access``.
"""

# ruff: noqa: PT028 — `testimony_access` is a permission check, not a pytest test.

from __future__ import annotations

from dataclasses import dataclass

from core.models import Role, Site
from core.scoping import get_scope

from .models import Audience, MediaAttachment, Testimony


def can_see_testimonies(user) -> bool:
    return get_scope(user).has_role(
        Role.COORDINATOR, Role.FIELD_COMMS, Role.ADVOCACY_OFFICER, Role.COMMUNICATION
    )


def is_reviewer(user) -> bool:
    """Review (and the identity register) belong to unit-wide coordinators."""
    return get_scope(user).is_unit_wide(Role.COORDINATOR)


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


def can_manage_consent(user, testimony: Testimony) -> bool:
    """Record, renew or withdraw consent: coordinators and the site's field officers."""
    if testimony.status == Testimony.Status.ARCHIVED:
        return False
    return is_reviewer(user) or can_collect_at(user, testimony.site)


def export_audiences(user) -> list[str]:
    """Which export modes a user may choose (what they could read on the detail page)."""
    scope = get_scope(user)
    audiences: list[str] = []
    if scope.has_role(Role.COORDINATOR, Role.FIELD_COMMS, Role.ADVOCACY_OFFICER):
        audiences += ["metadata", "internal"]
    if scope.has_role(Role.COORDINATOR, Role.FIELD_COMMS, Role.COMMUNICATION):
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
