"""Reads of testimonies: scoping per role, the detail page, lists and counts, the field
officer's home and the submission wizard's scope.

Who sees which testimony:

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
from functools import reduce
from operator import or_

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone

from core.memo import memo
from core.models import Role, Site
from core.scoping import get_scope, scope_filter, sites_in_scope

from ..gate import usable_q
from ..models import (
    Audience,
    MediaAttachment,
    Testimony,
    TestimonyEvent,
    TestimonyUse,
    UsableExtract,
)
from ..permissions import TESTIMONY_READERS, is_reviewer

SENT_STATUSES = (
    Testimony.Status.SUBMITTED,
    Testimony.Status.IN_REVIEW,
    Testimony.Status.APPROVED,
    Testimony.Status.WITHDRAWN,
    Testimony.Status.ARCHIVED,
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


def collection_sites(user) -> QuerySet[Site]:
    """Sites where `user` may collect testimonies (field officers: theirs; coordinators: all)."""
    scope = get_scope(user)
    sites = Site.objects.select_related("country")
    if scope.is_unit_wide(Role.COORDINATOR, Role.FIELD_COMMS):
        return sites
    return sites.filter(pk__in=scope.site_ids(Role.FIELD_COMMS))


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


def testimony_uses(testimony: Testimony) -> QuerySet[TestimonyUse]:
    return (
        testimony.uses.select_related("used_by", "extract", "target_type", "takedown_done_by")
        .prefetch_related("target")
        .order_by("-used_on", "-id")
    )


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


def testimony_filterset(*, user, data):
    """The testimony list filtered and sorted from `data` (the query string): the list
    page and its exports read the same rows. Field officers see their drafts too."""
    from ..filters import TestimonyFilter

    return TestimonyFilter(
        data=data if data is not None else QueryDict(),
        queryset=testimony_list_queryset(user),
        shows_drafts=get_scope(user).has_role(Role.FIELD_COMMS),
        sites=sites_in_scope(user, roles=TESTIMONY_READERS),
    )


def awaiting_review(user) -> QuerySet[Testimony]:
    """Submitted or in review, for the coordinators (empty for everyone else)."""
    if not is_reviewer(user):
        return Testimony.objects.none()
    return Testimony.objects.filter(
        status__in=[Testimony.Status.SUBMITTED, Testimony.Status.IN_REVIEW]
    )


AWAITING_REVIEW = "temoignages.awaiting_review"


def awaiting_review_count(user) -> int:
    """How many testimonies wait for this reviewer, counted once per request: the
    navigation badge, the dashboard card and the Témoignages home all show it."""
    return memo(user, AWAITING_REVIEW, lambda: awaiting_review(user).count())


def nav_badge(user) -> int | None:
    """What waits for this user in the Témoignages section (one query).

    - coordinators: testimonies submitted or in review (to review);
    - field officers: their own drafts and the testimonies sent back to them;
    - everyone else: nothing.
    """
    scope = get_scope(user)
    if scope.is_unit_wide(Role.COORDINATOR):
        return awaiting_review_count(user)
    if scope.has_role(Role.FIELD_COMMS):
        return Testimony.objects.filter(
            collected_by=user, status__in=list(Testimony.EDITABLE_STATUSES)
        ).count()
    return None


# --- Field officer's home and the wizard ------------------------------------------------


def my_testimonies(user) -> QuerySet[Testimony]:
    """What the officer collected, still on one of their sites (scoping holds)."""
    scoped = Testimony.objects.filter(collected_by=user)
    condition = scope_filter(user, roles=[Role.FIELD_COMMS, Role.COORDINATOR], site_field="site")
    if condition is not None:
        scoped = scoped.filter(condition)
    return scoped.select_related("site", "current_consent")


def home_lists(user, *, sent_limit: int = 20) -> dict[str, list[Testimony]]:
    """Drafts, testimonies sent back and the latest sent ones: three queries."""
    mine = my_testimonies(user)
    return {
        "drafts": list(mine.filter(status=Testimony.Status.DRAFT).order_by("-updated_at")),
        "returned": list(mine.filter(status=Testimony.Status.REJECTED).order_by("-updated_at")),
        "sent": list(
            mine.filter(status__in=SENT_STATUSES).order_by("-submitted_at", "-id")[:sent_limit]
        ),
    }


def wizard_queryset(user) -> QuerySet[Testimony]:
    """Testimonies the wizard may open for `user`: field officers their sites', coordinators
    all. Anything else is a 404 (existence not revealed)."""
    condition = scope_filter(user, roles=[Role.FIELD_COMMS, Role.COORDINATOR], site_field="site")
    queryset = Testimony.objects.select_related(
        "site__country", "form_version__form", "current_consent", "collected_by"
    )
    return queryset if condition is None else queryset.filter(condition)
