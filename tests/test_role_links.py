"""Every link, tab, button and card a demo role is shown opens for that role.

Each demo role logs in and follows every same-origin link of its navigation and of the
pages these open (two levels deep), expecting 200 everywhere. Links that download, export
or subscribe, and every button that posts, have side effects: they are not followed but
checked against the access rule their view declares (`access_required`, `object_access`).
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.http import Http404
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse

from core.demo import DEMO_USERS
from core.extensions import registry
from core.models import User

pytestmark = [pytest.mark.django_db]

# Followed only through their view's access rule: GET on them downloads, exports, streams
# a feed or leaves the session.
NOT_FOLLOWED = (
    "/telecharger/",
    "/export",
    ".ics",
    ".opml",
    "/flux/",
    "/i18n/",
    "/compte/deconnexion/",
)
# Django's own admin site: its index must open for staff, its pages are not ours to crawl.
NOT_EXPANDED = ("/admin/",)


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.posts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self.posts.append(attrs.get("action") or "")
        for name in ("hx-get", "hx-post"):
            if attrs.get(name):
                (self.links if name == "hx-get" else self.posts).append(attrs[name])


def _same_origin(hrefs: list[str], page_url: str) -> list[str]:
    urls = []
    for href in hrefs:
        href = urldefrag(href.strip())[0]
        if href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        url = urljoin("http://testserver" + page_url, href)
        parts = urlsplit(url)
        if parts.netloc != "testserver":
            continue
        urls.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return urls


def _may_open(user, url: str) -> bool | None:
    """The answer of the access rules the view at `url` declares (None: not a page)."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    view = match.func
    predicate = getattr(view, "access_predicate", None)
    if predicate is not None and not predicate(user):
        return False
    loader = getattr(view, "object_loader", None)
    if loader is not None:
        request = RequestFactory().get(url)
        request.user = user
        try:
            obj = loader(request, **match.kwargs)
        except Http404:
            return False
        check = getattr(view, "object_check", None)
        if check is not None and not check(user, obj):
            return False
    return True


def _crawl(client, user) -> tuple[list[tuple[str, str, object]], dict[str, int], list[str]]:
    """(refusals as (page, link, answer), pages opened with their status, the navigation's
    pages that told the user there is nothing for them)."""
    refusals: list[tuple[str, str, object]] = []
    opened: dict[str, int] = {}
    dead_ends: list[str] = []
    checked: set[str] = set()
    landing = client.get("/", follow=True)
    assert landing.status_code == 200
    landing_url = landing.request["PATH_INFO"]
    nav_urls = {entry.url for entry in landing.context["nav"].items}
    frontier = [(landing_url, url) for url in _links_and_posts(landing, landing_url)]
    for depth in (1, 2):
        following = []
        for parent, url in frontier:
            if url in opened or url in checked:
                continue
            if url.startswith("POST ") or any(part in url for part in NOT_FOLLOWED):
                checked.add(url)
                target = url.removeprefix("POST ")
                if _may_open(user, target) is False:
                    refusals.append((parent, url, "refused by its access rule"))
                continue
            response = client.get(url, follow=True)
            opened[url] = response.status_code
            final = response.request["PATH_INFO"]
            if response.status_code != 200 or final == reverse("core:login"):
                refusals.append((parent, url, response.status_code))
                continue
            templates = {t.name for t in response.templates}
            if url in nav_urls and any(name.endswith("no_access.html") for name in templates):
                dead_ends.append(url)
            expand = depth == 1 and "text/html" in response.get("Content-Type", "")
            if expand and not any(url.startswith(prefix) for prefix in NOT_EXPANDED):
                following += [(url, link) for link in _links_and_posts(response, url)]
        frontier = following
    return refusals, opened, dead_ends


def _links_and_posts(response, page_url: str) -> list[str]:
    parser = _PageParser()
    parser.feed(response.content.decode())
    posts = _same_origin([action or page_url for action in parser.posts], page_url)
    return _same_origin(parser.links, page_url) + [f"POST {url}" for url in posts]


@pytest.fixture
def demo(db):
    call_command("seed_demo", quiet_logins=True, verbosity=0)


@pytest.mark.parametrize("username", [row[0] for row in DEMO_USERS])
def test_every_link_a_role_is_shown_opens_for_it(demo, client, username):
    user = User.objects.get(username=username)
    client.force_login(user)

    refusals, opened, dead_ends = _crawl(client, user)

    report = "\n".join(f"{page} → {link}: {answer}" for page, link, answer in refusals)
    assert refusals == [], report
    assert dead_ends == []
    assert len(opened) > 10


@pytest.mark.parametrize("username", [row[0] for row in DEMO_USERS])
def test_a_section_in_the_navigation_opens_for_whoever_sees_it(demo, username):
    user = User.objects.get(username=username)

    for section in registry.sections():
        if section.visible(user):
            assert _may_open(user, reverse(section.url_name)), section.key


def test_viewers_have_no_testimony_section(demo):
    viewer = User.objects.get(username="lecture")
    visible = {section.key for section in registry.sections() if section.visible(viewer)}

    assert "temoignages" not in visible
    assert "veille" in visible


def test_the_administration_section_is_for_staff_who_may_see_something_there(demo):
    from tests.core.factories import UserFactory

    staff_without_permission = UserFactory(username="staff-only", is_staff=True)
    coordinator = User.objects.get(username="coordination")

    assert not registry.nav_sections["admin"].visible(staff_without_permission)
    assert registry.nav_sections["admin"].visible(coordinator)
