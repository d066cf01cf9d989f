"""The private iCalendar feed (RFC 5545), written with the `icalendar` library."""

from __future__ import annotations

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .selectors.calendar import calendar_rows

PAST_DAYS = 90
AHEAD_DAYS = 550


def calendar_feed_body(user, *, request=None, today: datetime.date | None = None) -> bytes:
    """Every dated thing `user` may see, from three months ago to eighteen months ahead."""
    today = today or timezone.localdate()
    with translation.override(getattr(user, "preferred_language", "fr") or "fr"):
        rows = calendar_rows(
            user,
            today - datetime.timedelta(days=PAST_DAYS),
            today + datetime.timedelta(days=AHEAD_DAYS),
        )
        calendar = Calendar()
        calendar.add("prodid", "-//Influence//Unite Migration//FR")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", _("Calendrier politique · Influence"))
        stamp = timezone.now()
        for row in rows:
            event = row.event
            vevent = Event()
            vevent.add("uid", f"{event.key}@influence")
            vevent.add("dtstamp", stamp)
            vevent.add("dtstart", event.start)
            vevent.add("dtend", (event.end or event.start) + datetime.timedelta(days=1))
            summary = event.title
            if row.missed_window:
                summary = f"{summary} [{_('fenêtre manquée ?')}]"
            vevent.add("summary", summary)
            details = [
                part for part in (event.kind, event.country, ", ".join(event.themes)) if part
            ]
            if row.missed_window:
                details.append(_("Aucune action prévue dans les 60 jours qui précèdent."))
            if details:
                vevent.add("description", "\n".join(details))
            if event.url:
                vevent.add("url", request.build_absolute_uri(event.url) if request else event.url)
            if event.kind:
                vevent.add("categories", [event.kind])
            calendar.add_component(vevent)
    return calendar.to_ical()
