"""Plaidoyer's dated things for the political calendar: advocacy actions (planned and in
progress count as planned work before political events), follow-up due dates, coalition
meetings and joint-statement deadlines — each scoped like the page it links to."""

from __future__ import annotations

import datetime

from django.db.models import CharField, F, Q, Value
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.extensions import CalendarEvent
from core.selectors import with_theme_names

from . import selectors
from .models import JointStatement
from .permissions import can_read

SOURCE = "plaidoyer"
PLANNED = ("planned", "in_progress")


def events(user, start: datetime.date, end: datetime.date) -> list[CalendarEvent]:
    """Two queries: the actions (with their themes, joined), then follow-ups, coalition
    meetings and statement deadlines together."""
    if not can_read(user):
        return []
    return _actions(user, start, end) + _dated_things(user, start, end)


def _actions(user, start: datetime.date, end: datetime.date) -> list[CalendarEvent]:
    actions = (
        selectors.actions_visible_to(user)
        .exclude(status__in=["cancelled", "idea"])
        .filter(
            Q(start_on__isnull=False, start_on__lte=end, due_on__gte=start)
            | Q(start_on__isnull=False, due_on__isnull=True, start_on__gte=start, start_on__lte=end)
            | Q(start_on__isnull=True, due_on__gte=start, due_on__lte=end)
        )
        .order_by("due_on", "pk")
    )
    found = []
    for action in with_theme_names(actions):
        first = action.start_on or action.due_on
        last = None
        if action.start_on and action.due_on and action.due_on > first:
            last = action.due_on
        found.append(
            CalendarEvent(
                key=f"plaidoyer-action-{action.pk}",
                title=action.title,
                start=first,
                end=last,
                kind=_("Action de plaidoyer · %(kind)s") % {"kind": action.get_kind_display()},
                url=action.get_absolute_url(),
                country=action.country.name,
                themes=action.theme_names,
                is_planned_action=action.status in PLANNED,
                source=SOURCE,
            )
        )
    return found


# The columns each part of the union gives, in this order.
COLUMNS = ("what", "day", "label", "extra", "target", "country_fr", "country_en")


def _dated_things(user, start: datetime.date, end: datetime.date) -> list[CalendarEvent]:
    text = CharField()
    follow_ups = (
        selectors.follow_ups_visible_to(user)
        .filter(done_at__isnull=True, due_on__gte=start, due_on__lte=end)
        .annotate(
            what=Value("follow_up", text),
            day=F("due_on"),
            label=F("description"),
            extra=Value("", text),
            target=F("interaction_id"),
            country_fr=F("interaction__country__name_fr"),
            country_en=F("interaction__country__name_en"),
        )
    )
    meetings = (
        selectors.interactions_visible_to(user)
        .filter(coalition__isnull=False, occurred_on__gte=start, occurred_on__lte=end)
        .annotate(
            what=Value("meeting", text),
            day=F("occurred_on"),
            label=F("title"),
            extra=F("coalition__name"),
            target=F("pk"),
            country_fr=F("country__name_fr"),
            country_en=F("country__name_en"),
        )
    )
    statements = (
        selectors.statements_visible_to(user)
        .filter(
            status__in=[JointStatement.Status.DRAFT, JointStatement.Status.SIGN_OFF],
            deadline__gte=start,
            deadline__lte=end,
        )
        .annotate(
            what=Value("statement", text),
            day=F("deadline"),
            label=F("title"),
            extra=Value("", text),
            target=F("pk"),
            country_fr=F("coalition__country__name_fr"),
            country_en=F("coalition__country__name_en"),
        )
    )
    parts = [qs.order_by().values_list("pk", *COLUMNS) for qs in (follow_ups, meetings, statements)]
    rows = sorted(parts[0].union(*parts[1:], all=True), key=lambda row: (row[2], row[1], row[0]))
    english = (get_language() or "fr").startswith("en")
    found = []
    for pk, what, day, label, extra, target, name_fr, name_en in rows:
        country = (name_en if english else name_fr) or ""
        if what == "follow_up":
            event = CalendarEvent(
                key=f"plaidoyer-followup-{pk}",
                title=_("Suite à donner : %(what)s") % {"what": label},
                start=day,
                kind=_("Suite à donner"),
                url=reverse("plaidoyer:interaction_detail", args=[target]),
                country=country,
                source=SOURCE,
            )
        elif what == "meeting":
            event = CalendarEvent(
                key=f"plaidoyer-meeting-{pk}",
                title=f"{extra} : {label}",
                start=day,
                kind=_("Réunion de coalition"),
                url=reverse("plaidoyer:interaction_detail", args=[target]),
                country=country,
                source=SOURCE,
            )
        else:
            event = CalendarEvent(
                key=f"plaidoyer-statement-{pk}",
                title=_("Signatures attendues : %(title)s") % {"title": label},
                start=day,
                kind=_("Déclaration commune"),
                url=reverse("plaidoyer:statement_detail", args=[target]),
                country=country,
                source=SOURCE,
            )
        found.append(event)
    return found
