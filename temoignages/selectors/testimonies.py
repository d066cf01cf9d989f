"""Reads of the testimonies app: scoping per role, permission predicates, lists, counts.

Who sees which testimony (issue 4, point 9):

- coordinator (unit-wide): every testimony;
- field_comms: every testimony of their sites, whatever its status (another site's
  testimony is a 404);
- advocacy_officer: testimonies of their country that the gate allows for internal use;
- communication: testimonies the gate allows for partners or for the public;
- viewer: none (testimonies are the most sensitive data of the unit).

A user with several roles sees the union. The gate part is `gate.usable_q`, so a
withdrawal, an expiry or a suspended site removes rows from these lists at once.
"""

# ruff: noqa: PT028 — `testimony_*` functions are services, not pytest tests.

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.models import Role, Site
from core.scoping import get_scope, scope_filter

from . import conf
from .gate import usable_q
from .models import (
    Audience,
    Consent,
    MediaAttachment,
    Testimony,
    TestimonyEvent,
    TestimonyUse,
    UsableExtract,
)

# --- Scoping ----------------------------------------------------------------------------


def testimony_scope_q(user, *, on: datetime.date | None = None) -> Q | None:
    """What `user` may see, as a filter; None means everything, Q(pk__in=[]) nothing."""
    scope = get_scope(user)
    if scope.is_unit_wide(Role.COORDINATOR):
        return None
    on = on or timezone.localdate()
    parts: list[Q] = []
    if scope.has_role(Role.FIELD_COMMS):
        field = scope_filter(user, roles=[Role.FIELD_COMMS], site_field="site")
        parts.append(Q() if field is None else field)
    if scope.has_role(Role.ADVOCACY_OFFICER):
        country = scope_filter(user, roles=[Role.ADVOCACY_OFFICER], site_field="site")
        internal = usable_q(Audience.INTERNAL, on=on)
        parts.append(internal if country is None else country & internal)
    if scope.has_role(Role.COMMUNICATION):
        comms = scope_filter(user, roles=[Role.COMMUNICATION], site_field="site")
        external = usable_q(Audience.PARTNERS, on=on) | usable_q(Audience.PUBLIC, on=on)
        parts.append(external if comms is None else comms & external)
    if not parts:
        return Q(pk__in=[])
    return reduce(or_, parts)


def testimonies_visible_to(user, *, on: datetime.date | None = None) -> QuerySet[Testimony]:
    """Every testimony `user` may see (see the module docstring)."""
    queryset = Testimony.objects.all()
    condition = testimony_scope_q(user, on=on)
    return queryset if condition is None else queryset.filter(condition)


def usable_testimonies(
    user, audience: str, *, on: datetime.date | None = None
) -> QuerySet[Testimony]:
    """What `user` may pick as evidence for `audience` (advocacy actions, notes, briefings).

    Scope and gate together, in SQL. Record each actual use with
    `services.testimony_use_record`, which asks the gate again at that moment.
    """
    return (
        testimonies_visible_to(user, on=on)
        .filter(usable_q(audience, on=on))
        .select_related("site", "current_consent")
    )


def can_see_testimonies(user) -> bool:
    return get_scope(user).has_role(
        Role.COORDINATOR, Role.FIELD_COMMS, Role.ADVOCACY_OFFICER, Role.COMMUNICATION
    )


def is_reviewer(user) -> bool:
    """Review (and the identity register) belong to unit-wide coordinators."""
    return get_scope(user).is_unit_wide(Role.COORDINATOR)


def collection_sites(user) -> QuerySet[Site]:
    """Sites where `user` may collect testimonies (field officers: theirs; coordinators: all)."""
    scope = get_scope(user)
    sites = Site.objects.select_related("country")
    if scope.is_unit_wide(Role.COORDINATOR, Role.FIELD_COMMS):
        return sites
    return sites.filter(pk__in=scope.site_ids(Role.FIELD_COMMS))


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


# --- Detail -----------------------------------------------------------------------------


def testimony_detail_queryset(user) -> QuerySet[Testimony]:
    """Scoped, with what the detail page and the gate read in the same query."""
    return (
        testimonies_visible_to(user)
        .select_related(
            "site__country",
            "current_consent__obtained_by",
            "current_consent__safeguarding_reviewed_by",
            "collected_by",
            "reviewed_by",
            "form_version__form",
            "person",
        )
        .prefetch_related(
            "themes",
            "translations",
            Prefetch("extracts", queryset=UsableExtract.objects.order_by("position", "id")),
        )
    )


def testimony_media(testimony: Testimony) -> QuerySet[MediaAttachment]:
    return testimony.media.select_related("uploaded_by").order_by("uploaded_at", "id")


def testimony_consents(testimony: Testimony) -> QuerySet[Consent]:
    return testimony.consents.select_related(
        "obtained_by", "recorded_by", "withdrawal_recorded_by", "safeguarding_reviewed_by"
    ).order_by("-created_at", "-id")


def testimony_uses(testimony: Testimony) -> QuerySet[TestimonyUse]:
    return testimony.uses.select_related(
        "used_by", "extract", "target_type", "takedown_done_by"
    ).order_by("-used_on", "-id")


def testimony_events(testimony: Testimony) -> QuerySet[TestimonyEvent]:
    return testimony.events.select_related("actor").order_by("-created_at", "-id")


# --- Lists and counts -------------------------------------------------------------------


# Long texts the list never shows (exports call `.defer(None)` to read them).
LIST_DEFERRED = ("narrative", "answers", "rejection_reason")


def testimony_list_queryset(user) -> QuerySet[Testimony]:
    """The scoped list with what each row shows (site, consent for the gate, collector).

    The media count is a correlated subquery rather than a JOIN + GROUP BY, so the
    paginator's COUNT(*) stays a plain count and long texts are not grouped or sorted.
    """
    media_count = (
        MediaAttachment.objects.filter(testimony=OuterRef("pk"))
        .order_by()
        .values("testimony")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        testimonies_visible_to(user)
        .select_related("site__country", "current_consent", "collected_by")
        .prefetch_related("themes")
        .defer(*LIST_DEFERRED)
        .annotate(media_count=Coalesce(Subquery(media_count), 0))
    )


def awaiting_review(user) -> QuerySet[Testimony]:
    """Submitted or in review, for the coordinators (empty for everyone else)."""
    if not is_reviewer(user):
        return Testimony.objects.none()
    return Testimony.objects.filter(
        status__in=[Testimony.Status.SUBMITTED, Testimony.Status.IN_REVIEW]
    )


def consents_expiring(
    user, *, on: datetime.date | None = None, within_days: int | None = None
) -> QuerySet[Testimony]:
    """Testimonies whose current consent expires within `within_days` (30), to renew.

    Already-expired consents are included (they need renewal even more); withdrawn and
    archived testimonies are not.
    """
    on = on or timezone.localdate()
    within = conf.consent_expiring_days() if within_days is None else within_days
    return (
        testimonies_visible_to(user, on=on)
        .filter(
            current_consent__isnull=False,
            current_consent__withdrawn_at__isnull=True,
            current_consent__expires_on__lte=on + datetime.timedelta(days=within),
        )
        .exclude(status__in=[Testimony.Status.WITHDRAWN, Testimony.Status.ARCHIVED])
        .select_related("site", "current_consent")
        .order_by("current_consent__expires_on", "id")
    )


def nav_badge(user) -> int | None:
    """What waits for this user in the Témoignages section (one query).

    - coordinators: testimonies submitted or in review (to review);
    - field officers: their own drafts and the testimonies sent back to them;
    - everyone else: nothing.
    """
    scope = get_scope(user)
    if scope.is_unit_wide(Role.COORDINATOR):
        return awaiting_review(user).count()
    if scope.has_role(Role.FIELD_COMMS):
        return Testimony.objects.filter(
            collected_by=user, status__in=list(Testimony.EDITABLE_STATUSES)
        ).count()
    return None


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
