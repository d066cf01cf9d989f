"""Every kind of page each demo role can reach, in Chromium: no serious or critical axe-core
violation and no skipped heading level, no CSP violation nor script error.

The pages are those the role is shown (tests/crawl.py: its navigation and the pages these
open, two levels deep), one per view and tab."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import Client

from core.demo import DEMO_PASSWORD, DEMO_USERS
from core.models import User
from tests.crawl import crawl
from tests.e2e.conftest import assert_clean, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Axe()
SERIOUS = ("serious", "critical")
# Moderate for axe, but screen-reader users move by headings: none may skip a level.
ALSO_REQUIRED = ("heading-order",)
ROLES = [row[0] for row in DEMO_USERS]


def _pages_of(username: str) -> list[str]:
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    client = Client()
    user = User.objects.get(username=username)
    client.force_login(user)
    result = crawl(client, user)
    assert result.refusals == [], result.report()
    return result.page_kinds()


def _serious_violations(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}"
        for v in AXE.run(page).response["violations"]
        if v["impact"] in SERIOUS or v["id"] in ALSO_REQUIRED
    ]


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_a_role_passes_axe(page, username):
    urls = _pages_of(username)
    login(page, username, DEMO_PASSWORD)

    violations = {}
    for url in urls:
        page.goto(page.base_url + url)
        if found := _serious_violations(page):
            violations[url] = found

    assert violations == {}
    assert len(urls) > 10
    assert_clean(page)
