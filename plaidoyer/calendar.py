"""Plaidoyer's dated things for the political calendar: advocacy actions (planned and in
progress count as planned work before political events), follow-up due dates, coalition
meetings and joint-statement deadlines — each scoped like the page it links to."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from core.extensions import CalendarEvent

from . import selectors
from .models import JointStatement
from .permissions import can_read

SOURCE = "plaidoyer"
PLANNED = ("planned", "in_progress")


def events(user, start: datetime.date, end: datetime.date) -> list[CalendarEvent]:
    if not can_read(user):
        return []
    found: list[CalendarEvent] = []
    actions = (
        selectors.actions_visible_to(user)
        .exclude(status__in=["cancelled", "idea"])
        .filter(
            Q(start_on__isnull=False, start_on__lte=end, due_on__gte=start)
            | Q(start_on__isnull=False, due_on__isnull=True, start_on__gte=start, start_on__lte=end)
            | Q(start_on__isnull=True, due_on__gte=start, due_on__lte=end)
        )
        .prefetch_related("themes")
        .order_by("due_on", "pk")
    )
    for action in actions:
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
                themes=tuple(theme.name for theme in action.themes.all()),
                is_planned_action=action.status in PLANNED,
                source=SOURCE,
            )
        )
    for follow_up in (
        selectors.follow_ups_visible_to(user)
        .filter(done_at__isnull=True, due_on__gte=start, due_on__lte=end)
        .order_by("due_on", "pk")
    ):
        found.append(
            CalendarEvent(
                key=f"plaidoyer-followup-{follow_up.pk}",
                title=_("Suite à donner : %(what)s") % {"what": follow_up.description},
                start=follow_up.due_on,
                kind=_("Suite à donner"),
                url=follow_up.interaction.get_absolute_url(),
                country=follow_up.interaction.country.name,
                source=SOURCE,
            )
        )
    for meeting in (
        selectors.interactions_visible_to(user)
        .filter(coalition__isnull=False, occurred_on__gte=start, occurred_on__lte=end)
        .order_by("occurred_on", "pk")
    ):
        found.append(
            CalendarEvent(
                key=f"plaidoyer-meeting-{meeting.pk}",
                title=f"{meeting.coalition.name} : {meeting.title}",
                start=meeting.occurred_on,
                kind=_("Réunion de coalition"),
                url=meeting.get_absolute_url(),
                country=meeting.country.name,
                source=SOURCE,
            )
        )
    for statement in (
        selectors.statements_visible_to(user)
        .filter(
            status__in=[JointStatement.Status.DRAFT, JointStatement.Status.SIGN_OFF],
            deadline__gte=start,
            deadline__lte=end,
        )
        .order_by("deadline", "pk")
    ):
        found.append(
            CalendarEvent(
                key=f"plaidoyer-statement-{statement.pk}",
                title=_("Signatures attendues : %(title)s") % {"title": statement.title},
                start=statement.deadline,
                kind=_("Déclaration commune"),
                url=statement.get_absolute_url(),
                country=statement.coalition.country.name,
                source=SOURCE,
            )
        )
    return found
