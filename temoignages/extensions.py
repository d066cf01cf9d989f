"""What témoignages contributes to the other apps: the field officers' home page, its
navigation section and badge, dashboard cards, header-search results (testimony codes),
demo content and the testimony extracts of the monthly briefing.

Dashboard cards by role, each number being the count of the list it links to:
- coordinators: testimonies awaiting review, consents to renew, collection objectives;
- advocacy officers: their country's collection objectives;
- field officers: their drafts, their sites' objectives, the consents to renew there.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.extensions import (
    BriefingPart,
    BriefingPeriod,
    BriefingSection,
    Card,
    HomePage,
    NavSection,
    SearchResult,
    Seeder,
    card_rows,
    dashboard_cards,
    register,
    search_results,
)
from core.memo import remember
from core.models import Role
from core.permissions import FIELD, role_predicate
from core.scoping import get_scope

from . import demo, permissions, selectors
from .gate import testimony_usability
from .models import Audience, Testimony, TestimonyUse, UsableExtract
from .services import testimony_use_record

ROWS = 5
OBJECTIVE_ROWS = 6

register(
    HomePage(
        key="temoignages.home",
        url_name="temoignages:home",
        visible=role_predicate(FIELD),
        order=20,
    ),
    NavSection(
        key="temoignages",
        label=gettext_lazy("Témoignages"),
        url_name="temoignages:home",
        visible=permissions.can_see_testimonies,
        order=50,
        badge=selectors.nav_badge,
        badge_label=gettext_lazy("à traiter"),
    ),
    Seeder(key="temoignages", seed=demo.seed, order=50),
)


@dashboard_cards
def cards(request) -> list[Card]:
    user = request.user
    scope = get_scope(user)
    found: list[Card] = []
    if permissions.is_reviewer(user):
        found.append(_awaiting_review_card(user))
    if permissions.is_reviewer(user) or scope.has_role(Role.FIELD_COMMS):
        found.append(_consents_card(user))
    if scope.has_role(Role.COORDINATOR, Role.ADVOCACY_OFFICER):
        found.append(objectives_card(user, scope))
    elif scope.has_role(Role.FIELD_COMMS):
        found.append(_drafts_card(user))
        found.append(_site_objectives_card(user))
    return found


def _awaiting_review_card(user) -> Card:
    waiting = selectors.awaiting_review(user).select_related("site").order_by("submitted_at", "id")
    rows, count = card_rows(waiting, ROWS)
    remember(user, selectors.AWAITING_REVIEW, count)  # the navigation badge shows it too
    return Card(
        key="temoignages.awaiting_review",
        title=_("Témoignages à relire"),
        template="temoignages/cards/awaiting_review.html",
        context={"count": count, "rows": rows},
        order=40,
        link_url=reverse("temoignages:list")
        + f"?status={Testimony.Status.SUBMITTED}&status={Testimony.Status.IN_REVIEW}",
        link_label=_("Tous les témoignages à relire"),
        count=count,
    )


def _consents_card(user) -> Card:
    rows, count = card_rows(selectors.consents_expiring(user), ROWS)
    return Card(
        key="temoignages.consents_expiring",
        title=_("Consentements à renouveler"),
        template="temoignages/cards/consents_expiring.html",
        context={"count": count, "rows": rows, "today": timezone.localdate()},
        order=45,
        link_url=reverse("temoignages:consents_expiring"),
        link_label=_("Tous les consentements à renouveler"),
        count=count,
    )


def _drafts_card(user) -> Card:
    rows, count = card_rows(
        selectors.my_testimonies(user)
        .filter(status=Testimony.Status.DRAFT)
        .order_by("-updated_at"),
        ROWS,
    )
    return Card(
        key="temoignages.my_drafts",
        title=_("Mes brouillons"),
        template="temoignages/cards/drafts.html",
        context={"count": count, "rows": rows},
        order=5,
        link_url=reverse("temoignages:home"),
        link_label=_("Mes témoignages"),
        count=count,
    )


def _site_objectives_card(user) -> Card:
    objectives = selectors.with_progress(
        _running_objectives(user).order_by("period_end", "pk")[: OBJECTIVE_ROWS + 1]
    )
    return Card(
        key="temoignages.site_objectives",
        title=_("Objectifs de collecte de mes sites"),
        template="temoignages/objectives/card.html",
        context={
            "rows": [(o, selectors.progress_of(o)) for o in objectives[:OBJECTIVE_ROWS]],
            "more": len(objectives) > OBJECTIVE_ROWS,
            "create_url": "",
        },
        order=46,
        width=6,
        link_url=reverse("temoignages:home"),
        link_label=_("Mes témoignages et objectifs"),
    )


@search_results
def search(user, query: str, limit: int) -> list[SearchResult]:
    """Testimony codes (never content), scoped exactly like the testimony list."""
    query = (query or "").strip()
    if len(query) < 2 or not permissions.can_see_testimonies(user):
        return []
    visible = selectors.testimonies_visible_to(user)
    if not get_scope(user).has_role(Role.FIELD_COMMS):
        visible = visible.exclude(status=Testimony.Status.DRAFT)
    found = (
        visible.filter(reference__icontains=query)
        .select_related("site")
        .only("pk", "reference", "status", "collected_on", "site__name_fr", "site__name_en")
        .order_by("-collected_on", "-pk")[:limit]
    )
    return [
        SearchResult(
            kind=_("Témoignages"),
            title=testimony.reference,
            url=reverse("temoignages:detail", args=[testimony.pk]),
            snippet=f"{testimony.site.name} · {testimony.get_status_display()}",
            when=testimony.collected_on,
        )
        for testimony in found
    ]


def objectives_card(user, scope) -> Card:
    """Collection objectives running today, least advanced first (two queries)."""
    objectives = sorted(
        selectors.with_progress(_running_objectives(user)),
        key=lambda o: (o.ratio, o.period_end, o.pk),
    )[: OBJECTIVE_ROWS + 1]
    is_coordinator = scope.is_unit_wide(Role.COORDINATOR)
    return Card(
        key="temoignages.objectives",
        title=_("Objectifs de collecte en cours"),
        template="temoignages/objectives/card.html",
        context={
            "rows": [(o, selectors.progress_of(o)) for o in objectives[:OBJECTIVE_ROWS]],
            "more": len(objectives) > OBJECTIVE_ROWS,
            "create_url": reverse("temoignages:objective_create") if is_coordinator else "",
        },
        order=45,
        width=6,
        link_url=reverse("temoignages:objectives") if is_coordinator else "",
        link_label=_("Tous les objectifs"),
    )


def _running_objectives(user):
    return selectors.objectives_period_filter(
        selectors.objectives_visible_to(user), "current"
    ).select_related("theme", "site__country", "country")


# --- Monthly briefing -----------------------------------------------------------------------
#
# Extracts of the testimonies approved during the period, in their redacted external
# wording only, each allowed by the publication gate for the edition's audience on the
# render date (withdrawn or expired consent, internal-only consent or sensitivity,
# suspended site… keep it out). A testimony whose extracts have no redacted wording is
# quoted through its redacted version when it has one. Once the PDF is stored, each
# quote is recorded as a use (`testimony_use_record`, which asks the gate again), with
# the briefing as its target: after a withdrawal, the briefing is on the takedown list.

BRIEFING_MAX_EXTRACTS = 30
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


@dataclass(frozen=True)
class BriefingExtract:
    testimony: Testimony
    extract: UsableExtract | None  # None: the testimony's redacted version
    text: str

    @property
    def language(self) -> str:
        if ARABIC.search(self.text):
            return "ar"
        return "" if self.testimony.language == "ar" else self.testimony.language


def _period_bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    low = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min), tz)
    high = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min), tz
    )
    return low, high


def _approved_between(user, start, end, *, on):
    low, high = _period_bounds(start, end)
    return selectors.testimonies_visible_to(user, on=on).filter(
        status=Testimony.Status.APPROVED, reviewed_at__gte=low, reviewed_at__lt=high
    )


def briefing_extracts(period: BriefingPeriod) -> list[BriefingExtract]:
    """The quotes of this edition: scope and gate in SQL, then the gate again for each
    extract on the render date (an extract's own redacted wording is checked there)."""
    on = period.render_date
    low, high = _period_bounds(period.start, period.end)
    testimonies = (
        selectors.usable_testimonies(period.user, period.audience, on=on)
        .filter(reviewed_at__gte=low, reviewed_at__lt=high)
        .select_related("site__country")
        .prefetch_related(
            "themes",
            Prefetch("extracts", queryset=UsableExtract.objects.order_by("position", "id")),
        )
        .order_by("reviewed_at", "pk")
    )
    found: list[BriefingExtract] = []
    for testimony in testimonies:
        redacted = [e for e in testimony.extracts.all() if e.external_text.strip()]
        for extract in redacted:
            if testimony_usability(testimony, period.audience, on=on, extract=extract):
                found.append(BriefingExtract(testimony, extract, extract.external_text.strip()))
        if (
            not redacted
            and testimony.external_text.strip()
            and testimony_usability(testimony, period.audience, on=on)
        ):
            found.append(BriefingExtract(testimony, None, testimony.external_text.strip()))
        if len(found) >= BRIEFING_MAX_EXTRACTS:
            break
    return found[:BRIEFING_MAX_EXTRACTS]


def _briefing_section(period: BriefingPeriod) -> BriefingPart:
    user = period.user
    if user is None:
        # Nobody to answer for the uses: no quote leaves without someone accountable.
        return BriefingPart(
            template="temoignages/briefing/extracts.html",
            context={"entries": [], "unattended": True},
        )
    entries = briefing_extracts(period)
    on = period.render_date
    previous_start, previous_end = period.previous
    approved = _approved_between(user, period.start, period.end, on=on).count()
    approved_before = _approved_between(user, previous_start, previous_end, on=on).count()
    with translation.override(settings.LANGUAGE_CODE):
        where = _("Briefing du %(start)s au %(end)s (%(audience)s)") % {
            "start": formats.date_format(period.start, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(period.end, "SHORT_DATE_FORMAT"),
            "audience": Audience(period.audience).label,
        }

    def record_uses(briefing) -> None:
        done = set(
            TestimonyUse.objects.filter(
                target_id=str(briefing.pk),
                target_type__app_label=briefing._meta.app_label,
                target_type__model=briefing._meta.model_name,
                audience=period.audience,
            ).values_list("testimony_id", "extract_id")
        )
        for entry in entries:
            key = (entry.testimony.pk, entry.extract.pk if entry.extract else None)
            if key in done:
                continue
            testimony_use_record(
                testimony=entry.testimony,
                audience=period.audience,
                where=where,
                used_by=user,
                used_on=on,
                extract=entry.extract,
                target=briefing,
            )
            done.add(key)

    return BriefingPart(
        template="temoignages/briefing/extracts.html",
        context={
            "entries": entries,
            "internal": period.audience == Audience.INTERNAL,
            "render_date": on,
        },
        figures=[
            (_("Témoignages approuvés"), approved, approved_before),
            (_("Extraits de témoignages cités"), len(entries), None),
        ],
        on_rendered=record_uses if entries else None,
    )


register(
    BriefingSection(
        key="temoignages.extracts",
        title=gettext_lazy("Paroles des personnes accompagnées"),
        build=_briefing_section,
        order=40,
    )
)
