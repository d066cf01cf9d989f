"""Every kind of page each demo role can reach, in Chromium: at 1280 px no serious or
critical axe-core violation, no skipped heading level and no sideways scrolling; at 360 px
nothing scrolls sideways, neither the page nor a part of it (tables stack their rows); no
CSP violation nor script error.

The pages are those the role is shown (tests/crawl.py: its navigation and the pages these
open, two levels deep), one per view and tab."""

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from core.demo import DEMO_USERS
from core.models import User
from tests.crawl import crawl
from tests.e2e.conftest import assert_clean, axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROLES = [row[0] for row in DEMO_USERS]


def _pages_of(username: str) -> list[str]:
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    client = Client()
    user = User.objects.get(username=username)
    client.force_login(user)
    result = crawl(client, user)
    assert result.refusals == [], result.report()
    return result.page_kinds()


@pytest.mark.exhaustive
@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_a_role_passes_axe(page, username):
    urls = _pages_of(username)
    sign_in(page, username)

    violations, too_wide = {}, {}
    for url in urls:
        page.goto(page.base_url + url)
        if found := axe_violations(page, serious_only=True):
            violations[url] = found
        sizes = page.evaluate(_WIDTHS)
        if sizes["scrollWidth"] > sizes["clientWidth"]:
            too_wide[url] = sizes

    assert violations == {}
    assert too_wide == {}
    assert len(urls) > 10
    assert_clean(page)


# The page's width, and what scrolls sideways inside the page (a table in a scroller).
_WIDTHS = """() => {
  const width = document.documentElement.clientWidth;
  const scrollers = [...document.querySelectorAll("main *")].filter(e => {
    const style = getComputedStyle(e);
    return ["auto", "scroll"].includes(style.overflowX) && e.scrollWidth > e.clientWidth + 1;
  });
  const beyond = [...document.querySelectorAll("body *")].filter(
    e => e.getBoundingClientRect().right > width + 1);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: width,
    scrollers: scrollers.slice(0, 3).map(e => e.outerHTML.slice(0, 160)),
    beyond: beyond.slice(0, 3).map(e => e.outerHTML.slice(0, 160)),
  };
}"""


@pytest.mark.exhaustive
@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_a_role_fits_a_phone(phone_page, username):
    urls = _pages_of(username)
    sign_in(phone_page, username)

    too_wide = {}
    for url in urls:
        phone_page.goto(phone_page.base_url + url)
        sizes = phone_page.evaluate(_WIDTHS)
        if sizes["scrollWidth"] > sizes["clientWidth"] or sizes["scrollers"]:
            too_wide[url] = sizes

    assert too_wide == {}
    assert len(urls) > 10
    assert_clean(phone_page)


def test_tables_stack_on_a_phone_each_cell_named_by_its_column(phone_page):
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    sign_in(phone_page, "coordination", "/veille/sources/sante/")

    row = phone_page.locator("table.table-stack tbody tr").first
    row.wait_for()
    assert row.bounding_box()["width"] <= 360
    labels = row.locator("td[data-label]").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert '"Type"' in labels
    assert '"Dernière erreur"' in labels
    # The sort links stay reachable above the rows.
    expect(phone_page.get_by_role("link", name="Échecs d'affilée")).to_be_visible()
    assert_clean(phone_page)
