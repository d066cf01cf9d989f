"""The coordinator's influence pages in Chromium: CSP-clean, axe-clean, usable at 360 px,
"/" focuses the header search. Screenshots go to $SCREENSHOT_DIR when it is set."""

import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from influence.models import KeyMessage, Objective, Strategy
from tests.e2e.conftest import assert_clean, axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _pages():
    unit = Strategy.objects.get(scope="unit")
    objective = Objective.objects.filter(strategy=unit).first()
    variant = KeyMessage.objects.exclude(master=None).first()
    return {
        "dashboard": "/tableau-de-bord/",
        "strategies": "/strategies/",
        "strategy": f"/strategies/{unit.pk}/",
        "objectives": "/objectifs/",
        "objective": f"/objectifs/{objective.pk}/",
        "matrix": "/messages/matrice/",
        "message": f"/messages/{variant.pk}/",
        "calendar": "/calendrier/",
        "calendar-list": "/calendrier/liste/",
        "search": "/recherche/?q=libye",
    }


def _shot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_coordinator_pages_are_clean_for_csp_and_axe(page):
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    sign_in(page, "coordination")

    for name, url in _pages().items():
        page.goto(page.base_url + url)
        expect(page.locator("h1"), name).to_have_count(1)
        _shot(page, f"desktop-{name}")
        assert axe_violations(page) == [], name
    assert_clean(page)


def test_the_dashboard_shows_what_waits_today_and_three_charts(page):
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    sign_in(page, "coordination", "/tableau-de-bord/")

    page.get_by_role("heading", name="À traiter aujourd'hui").wait_for()
    page.locator("footer").wait_for()
    expect(page.locator("svg.chart[role=img]")).to_have_count(3)
    expect(page.get_by_role("heading", name="Calendrier — 30 jours")).to_be_visible()
    # The demo's advocacy actions cover the weeks ahead; later events show missed windows.
    today = timezone.localdate()
    page.goto(
        page.base_url
        + f"/calendrier/liste/?du={today.isoformat()}&au={today + timedelta(days=240):%Y-%m-%d}"
    )
    page.get_by_text("fenêtre manquée ?").first.wait_for()
    assert_clean(page)


def test_slash_focuses_the_header_search_and_results_are_grouped(page):
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    sign_in(page, "coordination", "/tableau-de-bord/")

    page.keyboard.press("/")
    expect(page.locator("#site-search-q")).to_be_focused()
    page.keyboard.type("détention")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recherche/?q=*")

    page.get_by_role("heading", name="Messages clés").wait_for()
    expect(page.get_by_role("heading", name="Objectifs")).to_be_visible()
    assert_clean(page)


def test_influence_pages_fit_a_phone(phone_page):
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    sign_in(phone_page, "coordination")

    for name, url in _pages().items():
        phone_page.goto(phone_page.base_url + url)
        _shot(phone_page, f"phone-{name}")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        wide = phone_page.evaluate(
            "[...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > 361"
            " && !e.closest('.table-responsive, .overflow-auto'))"
            ".slice(0, 3).map(e => e.outerHTML.slice(0, 120))"
        )
        assert width <= 360, (name, width, wide)
    assert_clean(phone_page)
