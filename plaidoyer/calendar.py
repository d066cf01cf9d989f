"""Plaidoyer's dated things for the political calendar: advocacy actions (planned and in
progress count as planned work before political events), follow-up due dates, coalition
meetings and joint-statement deadlines — each scoped like the page it links to."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from core.extensions import CalendarEvent

from . import selectors
from .models import AdvocacyAction, JointStatement
from .permissions import can_read

SOURCE = "plaidoyer"
PLANNED = ("planned", "in_progress")


def _url(name: str):
    """`url(pk)` for a detail page, reversing once (a month holds hundreds of entries)."""
    from django.urls import reverse

    template = reverse(f"plaidoyer:{name}", args=[987654321])
    return lambda pk: template.replace("987654321", str(pk))


def _country_name(row_fr: str, row_en: str) -> str:
    from django.utils.translation import get_language

    return row_en if (get_language() or "fr").startswith("en") else row_fr


def events(user, start: datetime.date, end: datetime.date) -> list[CalendarEvent]:
    """Plain rows (`values_list`), one query per kind of entry and one for the actions'
    themes: a busy quarter holds a thousand entries."""
    if not can_read(user):
        return []
    found: list[CalendarEvent] = []
    kinds = dict(AdvocacyAction.Kind.choices)
    action_url = _url("action_detail")
    actions = list(
        selectors.actions_visible_to(user)
        .exclude(status__in=["cancelled", "idea"])
        .filter(
            Q(start_on__isnull=False, start_on__lte=end, due_on__gte=start)
            | Q(start_on__isnull=False, due_on__isnull=True, start_on__gte=start, start_on__lte=end)
            | Q(start_on__isnull=True, due_on__gte=start, due_on__lte=end)
        )
        .order_by("due_on", "pk")
        .values_list(
            "pk",
            "title",
            "kind",
            "status",
            "start_on",
            "due_on",
            "country__name_fr",
            "country__name_en",
        )
    )
    themes: dict[int, list[str]] = {}
    if actions:
        english = _country_name("fr", "en") == "en"
        for action_id, name_fr, name_en in AdvocacyAction.themes.through.objects.filter(
            advocacyaction_id__in=[row[0] for row in actions]
        ).values_list("advocacyaction_id", "theme__name_fr", "theme__name_en"):
            themes.setdefault(action_id, []).append(name_en if english else name_fr)
    for pk, title, kind, status, start_on, due_on, name_fr, name_en in actions:
        first = start_on or due_on
        last = due_on if start_on and due_on and due_on > first else None
        found.append(
            CalendarEvent(
                key=f"plaidoyer-action-{pk}",
                title=title,
                start=first,
                end=last,
                kind=_("Action de plaidoyer · %(kind)s") % {"kind": kinds.get(kind, kind)},
                url=action_url(pk),
                country=_country_name(name_fr, name_en),
                themes=tuple(themes.get(pk, ())),
                is_planned_action=status in PLANNED,
                source=SOURCE,
            )
        )
    interaction_url = _url("interaction_detail")
    for pk, description, due_on, interaction_id, name_fr, name_en in (
        selectors.follow_ups_visible_to(user)
        .filter(done_at__isnull=True, due_on__gte=start, due_on__lte=end)
        .order_by("due_on", "pk")
        .values_list(
            "pk",
            "description",
            "due_on",
            "interaction_id",
            "interaction__country__name_fr",
            "interaction__country__name_en",
        )
    ):
        found.append(
            CalendarEvent(
                key=f"plaidoyer-followup-{pk}",
                title=_("Suite à donner : %(what)s") % {"what": description},
                start=due_on,
                kind=_("Suite à donner"),
                url=interaction_url(interaction_id),
                country=_country_name(name_fr, name_en),
                source=SOURCE,
            )
        )
    for pk, title, occurred_on, coalition, name_fr, name_en in (
        selectors.interactions_visible_to(user)
        .filter(coalition__isnull=False, occurred_on__gte=start, occurred_on__lte=end)
        .order_by("occurred_on", "pk")
        .values_list(
            "pk", "title", "occurred_on", "coalition__name", "country__name_fr", "country__name_en"
        )
    ):
        found.append(
            CalendarEvent(
                key=f"plaidoyer-meeting-{pk}",
                title=f"{coalition} : {title}",
                start=occurred_on,
                kind=_("Réunion de coalition"),
                url=interaction_url(pk),
                country=_country_name(name_fr, name_en),
                source=SOURCE,
            )
        )
    statement_url = _url("statement_detail")
    for pk, title, deadline, name_fr, name_en in (
        selectors.statements_visible_to(user)
        .filter(
            status__in=[JointStatement.Status.DRAFT, JointStatement.Status.SIGN_OFF],
            deadline__gte=start,
            deadline__lte=end,
        )
        .order_by("deadline", "pk")
        .values_list(
            "pk", "title", "deadline", "coalition__country__name_fr", "coalition__country__name_en"
        )
    ):
        found.append(
            CalendarEvent(
                key=f"plaidoyer-statement-{pk}",
                title=_("Signatures attendues : %(title)s") % {"title": title},
                start=deadline,
                kind=_("Déclaration commune"),
                url=statement_url(pk),
                country=_country_name(name_fr, name_en),
                source=SOURCE,
            )
        )
    return found
