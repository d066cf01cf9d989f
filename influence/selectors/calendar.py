"""The political calendar: influence's events, every app's dated things (through the
calendar extension point), missed windows, the month grid and the private feeds."""

from __future__ import annotations

import calendar as pycalendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from core.extensions import CalendarEvent, registry
from core.selectors import with_theme_names

from ..models import CalendarFeed, PoliticalEvent
from ..permissions import can_read

SOURCE = "influence.events"


def events_visible_to(user) -> QuerySet[PoliticalEvent]:
    if not can_read(user):
        return PoliticalEvent.objects.none()
    return PoliticalEvent.objects.select_related("country")


def events_between(user, start: datetime.date, end: datetime.date) -> QuerySet[PoliticalEvent]:
    """Events that overlap [start, end]."""
    return (
        events_visible_to(user)
        .filter(start__lte=end)
        .filter(Q(end__gte=start) | Q(end__isnull=True, start__gte=start))
        .prefetch_related("themes")
        .order_by("start", "title")
    )


def as_calendar_events(user, start: datetime.date, end: datetime.date) -> list[CalendarEvent]:
    """Influence's contribution to the calendar extension point (one query)."""
    return [
        CalendarEvent(
            key=f"influence-event-{event.pk}",
            title=event.title,
            start=event.start,
            end=event.end,
            kind=event.get_kind_display(),
            url=event.get_absolute_url(),
            country=event.country.name if event.country_id else "",
            themes=event.theme_names,
            source=SOURCE,
        )
        for event in with_theme_names(events_between(user, start, end))
    ]


@dataclass(frozen=True)
class CalendarRow:
    event: CalendarEvent
    missed_window: bool

    @property
    def is_political(self) -> bool:
        return self.event.source == SOURCE


def missed_window_days() -> int:
    return settings.INFLUENCE_MISSED_WINDOW_DAYS


def calendar_rows(user, start: datetime.date, end: datetime.date) -> list[CalendarRow]:
    """Every app's events overlapping [start, end], with the missed-window flag.

    A political event (influence's own) is a missed window when no planned action
    (`CalendarEvent.is_planned_action`, e.g. an advocacy action) starts in the
    `INFLUENCE_MISSED_WINDOW_DAYS` days before it, up to its first day.
    """
    window = datetime.timedelta(days=missed_window_days())
    events = registry.calendar_events(user, start - window, end)
    planned = sorted(e.start for e in events if e.is_planned_action)
    rows = []
    for event in events:
        if (event.end or event.start) < start:
            continue
        missed = False
        if event.source == SOURCE and not event.is_planned_action:
            missed = not any(event.start - window <= day <= event.start for day in planned)
        rows.append(CalendarRow(event=event, missed_window=missed))
    return rows


@dataclass(frozen=True)
class MonthDay:
    day: datetime.date
    in_month: bool
    rows: list[CalendarRow]


def month_grid(user, year: int, month: int) -> list[list[MonthDay]]:
    """Weeks (Monday first) of the month, each day with the events running that day."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    rows = calendar_rows(user, first, last)
    grid = []
    for week in weeks:
        days = []
        for day in week:
            running = [r for r in rows if r.event.start <= day <= (r.event.end or r.event.start)]
            days.append(MonthDay(day=day, in_month=day.month == month, rows=running))
        grid.append(days)
    return grid


def active_feed(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def feed_by_token(token: str) -> CalendarFeed | None:
    """The active feed of this token, or None (revoked or unknown)."""
    if not token or len(token) > 64:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def feed_was_revoked(token: str) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(token=token, revoked_at__isnull=False).first()


def events_editable_by(user) -> QuerySet[PoliticalEvent]:
    """Coordinators: every event. Advocacy officers: their countries' and their own."""
    from core.models import Role
    from core.scoping import scope_filter

    condition = scope_filter(
        user, roles=[Role.COORDINATOR, Role.ADVOCACY_OFFICER], country_field="country"
    )
    events = events_visible_to(user)
    return events if condition is None else events.filter(condition | Q(created_by=user))
