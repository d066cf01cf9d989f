"""The political calendar: every app's events, missed windows, month grid, iCal feed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.extensions import CalendarEvent, registry
from core.models import AuditEvent
from influence.models import CalendarFeed, PoliticalEvent
from influence.selectors.calendar import calendar_rows, month_grid

from .factories import event

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned_action():
    """A test-only provider standing for plaidoyer: one planned action, `days` before."""
    planned: list[datetime.date] = []

    def provider(user, start, end):
        return [
            CalendarEvent(
                key=f"test-action-{n}",
                title="Lettre ouverte",
                start=day,
                is_planned_action=True,
                kind="Action",
                source="tests.actions",
            )
            for n, day in enumerate(planned)
            if start <= day <= end
        ]

    registry.add_calendar_provider(provider)
    yield planned
    registry.calendar_providers.remove(provider)


def _row(rows, title):
    return next(r for r in rows if r.event.title == title)


def test_an_event_without_a_planned_action_in_the_60_days_before_is_a_missed_window(
    coordinator, planned_action
):
    vote = event("Vote LIBE", days=40)
    today = timezone.localdate()

    assert _row(
        calendar_rows(coordinator, today, today + datetime.timedelta(days=60)), "Vote LIBE"
    ).missed_window

    planned_action.append(vote.start - datetime.timedelta(days=70))  # too early
    assert _row(
        calendar_rows(coordinator, today, today + datetime.timedelta(days=60)), "Vote LIBE"
    ).missed_window

    planned_action.append(vote.start - datetime.timedelta(days=30))
    rows = calendar_rows(coordinator, today, today + datetime.timedelta(days=60))
    assert not _row(rows, "Vote LIBE").missed_window
    action = _row(rows, "Lettre ouverte")
    assert action.event.is_planned_action
    assert not action.missed_window


def test_other_apps_events_show_in_the_list_view(client_for, coordinator, planned_action):
    planned_action.append(timezone.localdate() + datetime.timedelta(days=3))
    event("Sommet UE–Afrique", days=5, kind="summit")
    html = client_for(coordinator).get(reverse("influence:calendar_list")).content.decode()
    assert "Lettre ouverte" in html
    assert "Sommet UE–Afrique" in html
    assert "action prévue" in html  # the summit has an action 2 days before: no flag
    assert "fenêtre manquée ?" not in html


def test_month_grid_places_a_range_on_each_of_its_days(coordinator):
    start = datetime.date(2027, 4, 10)
    PoliticalEvent.objects.create(
        title="Présidentielle", kind="election", start=start, end=datetime.date(2027, 4, 24)
    )
    grid = month_grid(coordinator, 2027, 4)
    days = [
        d.day
        for week in grid
        for d in week
        if any(r.event.title == "Présidentielle" for r in d.rows)
    ]
    assert days[0] == start
    assert days[-1] == datetime.date(2027, 4, 24)
    assert len(days) == 15


def test_month_and_list_pages(client_for, coordinator):
    event("Journée internationale des migrants", days=3, kind="anniversary")
    client = client_for(coordinator)
    month = timezone.localdate() + datetime.timedelta(days=3)
    response = client.get(reverse("influence:calendar") + f"?mois={month:%Y-%m}")
    assert response.status_code == 200
    assert "Journée internationale des migrants" in response.content.decode()
    assert client.get(reverse("influence:calendar") + "?mois=n'importe-quoi").status_code == 200


def test_an_event_range_ending_before_it_starts_is_refused(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("influence:event_create"),
        {"title": "Conseil européen", "kind": "summit", "start": "2026-12-18", "end": "2026-12-17"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "La fin de l&#x27;événement doit être après son début." in html
    assert 'value="Conseil européen"' in html
    assert not PoliticalEvent.objects.exists()


def test_list_period_upside_down_is_explained(client_for, coordinator):
    response = client_for(coordinator).get(
        reverse("influence:calendar_list") + "?du=2027-01-10&au=2027-01-01"
    )
    assert "la période a été inversée" in response.content.decode()


def test_ical_feed_is_valid_rfc5545_and_holds_the_users_events(client, client_for, coordinator):
    event("Journée internationale des migrants", days=18, kind="anniversary")
    PoliticalEvent.objects.create(
        title="Présidentielle",
        kind="election",
        start=timezone.localdate() + datetime.timedelta(days=100),
        end=timezone.localdate() + datetime.timedelta(days=114),
    )
    client_for(coordinator).post(reverse("influence:feed_enable"))
    feed = CalendarFeed.objects.get(user=coordinator, revoked_at__isnull=True)
    client.logout()

    response = client.get(reverse("influence:ical_feed", args=[feed.token]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert "PRODID" in calendar
    events = {str(e["SUMMARY"]).split(" [")[0]: e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Journée internationale des migrants", "Présidentielle"}
    election = events["Présidentielle"]
    assert election.decoded("DTEND") - election.decoded("DTSTART") == datetime.timedelta(days=15)
    assert all("UID" in e and "DTSTAMP" in e for e in events.values())


def test_a_revoked_ical_token_is_a_404_and_is_audited(client, client_for, coordinator):
    logged = client_for(coordinator)
    logged.post(reverse("influence:feed_enable"))
    token = CalendarFeed.objects.get(user=coordinator).token
    page = logged.get(reverse("influence:feed_revoke"))
    assert "Révoquer l&#x27;adresse" in page.content.decode()  # asks first
    logged.post(reverse("influence:feed_revoke"))
    client.logout()

    response = client.get(reverse("influence:ical_feed", args=[token]))

    assert response.status_code == 404
    denied = AuditEvent.objects.filter(
        action="permission_denied", object_type="influence.calendarfeed"
    )
    assert denied.get().detail["reason"] == "revoked_token"
    assert client.get(reverse("influence:ical_feed", args=["nope"])).status_code == 404


def test_a_new_address_replaces_the_old_one(client, client_for, coordinator):
    logged = client_for(coordinator)
    logged.post(reverse("influence:feed_enable"))
    old = CalendarFeed.objects.get(user=coordinator).token
    logged.post(reverse("influence:feed_enable"))
    new = CalendarFeed.objects.get(user=coordinator, revoked_at__isnull=True).token
    client.logout()
    assert old != new
    assert client.get(reverse("influence:ical_feed", args=[old])).status_code == 404
    assert client.get(reverse("influence:ical_feed", args=[new])).status_code == 200


def test_field_officers_have_no_calendar_feed(client_for, field_calais):
    assert client_for(field_calais).get(reverse("influence:feed_settings")).status_code == 403
