"""Every link, tab, button, card and section a demo role is shown opens for that role: each
role follows its navigation and the pages it opens two levels deep (tests/crawl.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.demo import DEMO_USERS
from core.extensions import registry
from core.models import User
from tests.crawl import crawl, may_open

pytestmark = [pytest.mark.django_db]


@pytest.mark.exhaustive
@pytest.mark.parametrize("username", [row[0] for row in DEMO_USERS])
def test_every_link_a_role_is_shown_opens_for_it(demo_data, client, username):
    user = User.objects.get(username=username)
    client.force_login(user)

    result = crawl(client, user)

    assert result.refusals == [], result.report()
    assert result.dead_ends == []
    assert len(result.opened) > 10


@pytest.mark.parametrize("username", [row[0] for row in DEMO_USERS])
def test_a_section_in_the_navigation_opens_for_whoever_sees_it(demo_data, username):
    user = User.objects.get(username=username)

    for section in registry.sections():
        if section.visible(user):
            assert may_open(user, reverse(section.url_name)), section.key


def test_viewers_have_no_testimony_section(demo_data):
    viewer = User.objects.get(username="lecture")
    visible = {section.key for section in registry.sections() if section.visible(viewer)}

    assert "temoignages" not in visible
    assert "veille" in visible


def test_the_administration_section_is_for_staff_who_may_see_something_there(demo_data):
    from tests.core.factories import UserFactory

    staff_without_permission = UserFactory(username="staff-only", is_staff=True)
    coordinator = User.objects.get(username="coordination")

    assert not registry.nav_sections["admin"].visible(staff_without_permission)
    assert registry.nav_sections["admin"].visible(coordinator)
