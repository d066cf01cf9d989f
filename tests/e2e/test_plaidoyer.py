"""The advocacy pages in Chromium: CSP-clean, axe-clean, one h1, usable at 360 px; the
board's overdue cards and the grid's dots as links."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from plaidoyer.models import (
    AdvocacyAction,
    Coalition,
    Interaction,
    JointStatement,
    Organisation,
    Outcome,
    Stakeholder,
)
from tests.e2e.conftest import assert_clean, axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _pages():
    person = Stakeholder.objects.filter(can_restrict_operations=True).first()
    action = (
        AdvocacyAction.objects.exclude(testimonies=None).first() or AdvocacyAction.objects.first()
    )
    return {
        "board": "/plaidoyer/",
        "actions": "/plaidoyer/actions/",
        "action": f"/plaidoyer/actions/{action.pk}/",
        "action-edit": f"/plaidoyer/actions/{action.pk}/modifier/",
        "stakeholders": "/plaidoyer/interlocuteurs/?q=prefet",
        "stakeholder": f"/plaidoyer/interlocuteurs/{person.pk}/",
        "positions": f"/plaidoyer/interlocuteurs/{person.pk}/?tab=positions",
        "organisation": f"/plaidoyer/organisations/{Organisation.objects.first().pk}/",
        "interactions": "/plaidoyer/echanges/",
        "interaction": f"/plaidoyer/echanges/{Interaction.objects.first().pk}/",
        "follow-ups": "/plaidoyer/suites/",
        "coalition": f"/plaidoyer/coalitions/{Coalition.objects.first().pk}/",
        "statement": f"/plaidoyer/declarations/{JointStatement.objects.first().pk}/",
        "outcome": f"/plaidoyer/resultats/{Outcome.objects.first().pk}/",
        "lessons": "/plaidoyer/lecons/",
        "budget": "/plaidoyer/budget/",
        "grid": "/plaidoyer/grille/",
        "import": "/plaidoyer/interlocuteurs/importer/",
    }


def test_advocacy_pages_are_clean_for_csp_and_axe(page):
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    sign_in(page, "coordination")

    for name, url in _pages().items():
        page.goto(page.base_url + url)
        expect(page.locator("h1"), name).to_have_count(1)
        assert axe_violations(page) == [], name
    assert_clean(page)


def test_the_board_shows_overdue_cards_and_the_grid_links_each_dot(page):
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    sign_in(page, "coordination", "/plaidoyer/")
    page.locator("#action-board .action-card.overdue").first.wait_for()
    page.goto(page.base_url + "/plaidoyer/grille/")
    dot = page.locator("svg.chart-scatter a").first
    dot.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/plaidoyer/interlocuteurs/*/")
    expect(page.locator("h1")).to_have_count(1)
    assert_clean(page)


def test_advocacy_pages_fit_a_phone(phone_page):
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    sign_in(phone_page, "plaidoyer.france")

    for name, url in _pages().items():
        phone_page.goto(phone_page.base_url + url)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        wide = phone_page.evaluate(
            "[...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > 361"
            " && !e.closest('.table-responsive, .overflow-auto, .action-board'))"
            ".slice(0, 3).map(e => e.outerHTML.slice(0, 120))"
        )
        assert width <= 360, (name, width, wide)
    assert_clean(phone_page)
