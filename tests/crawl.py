"""Crawl what a role is shown: the links of its navigation and of the pages these open.

`crawl(client, user)` follows every same-origin link two levels deep from where the user
lands. Links that download, export or subscribe, and every button that posts, have side
effects: they are not followed but checked against the access rules their view declares
(`access_required`, `object_access`). `Crawl.page_kinds()` keeps one URL per kind of page
(view and tab) for the browser checks, which cost more per page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from django.http import Http404
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse

# Checked through their view's access rule, never opened: GET on them downloads, exports,
# streams a feed or leaves the session.
NOT_FOLLOWED = (
    "/telecharger/",
    "/export",
    ".ics",
    ".opml",
    "/flux/",
    "/i18n/",
    "/compte/deconnexion/",
)
# Django's own admin site: its pages must open for staff, their links are not ours.
NOT_EXPANDED = ("/admin/",)
# Query parameters that change what kind of page is shown (the rest filter or sort it).
KIND_PARAMETERS = ("tab", "view")


@dataclass
class Crawl:
    refusals: list[tuple[str, str, object]] = field(default_factory=list)
    opened: dict[str, int] = field(default_factory=dict)
    # Navigation sections whose page tells the user there is nothing for them.
    dead_ends: list[str] = field(default_factory=list)
    # Whole pages (not the fragments htmx asks for), in the order they were opened.
    html_pages: list[str] = field(default_factory=list)

    def report(self) -> str:
        return "\n".join(f"{page} → {link}: {answer}" for page, link, answer in self.refusals)

    def page_kinds(self) -> list[str]:
        """One URL per view and tab, in the order they were opened (admin pages left out)."""
        kinds: dict[tuple, str] = {}
        for url in self.html_pages:
            if url.startswith(NOT_EXPANDED):
                continue
            parts = urlsplit(url)
            query = dict(parse_qsl(parts.query))
            key = (
                resolve(parts.path).view_name,
                tuple((name, query[name]) for name in KIND_PARAMETERS if name in query),
            )
            kinds.setdefault(key, url)
        return list(kinds.values())


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
        if attrs.get("hx-get"):
            self.links.append(attrs["hx-get"])
        if attrs.get("hx-post"):
            self.posts.append(attrs["hx-post"])


def _same_origin(hrefs: list[str], page_url: str) -> list[str]:
    urls = []
    for href in hrefs:
        href = urldefrag(href.strip())[0]
        if href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        parts = urlsplit(urljoin("http://testserver" + page_url, href))
        if parts.netloc == "testserver":
            urls.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return urls


def _links_and_posts(response, page_url: str) -> list[str]:
    parser = _PageParser()
    parser.feed(response.content.decode())
    posts = _same_origin([action or page_url for action in parser.posts], page_url)
    return _same_origin(parser.links, page_url) + [f"POST {url}" for url in posts]


def may_open(user, url: str) -> bool | None:
    """What the access rules declared by the view at `url` answer (None: no such page)."""
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


def crawl(client, user) -> Crawl:
    """`client` is logged in as `user`."""
    result = Crawl()
    checked: set[str] = set()
    landing = client.get("/", follow=True)
    assert landing.status_code == 200
    landing_url = landing.request["PATH_INFO"]
    result.html_pages.append(landing_url)
    nav_urls = {entry.url for entry in landing.context["nav"].items}
    frontier = [(landing_url, url) for url in _links_and_posts(landing, landing_url)]
    for depth in (1, 2):
        following = []
        for parent, url in frontier:
            if url in result.opened or url in checked:
                continue
            if url.startswith("POST ") or any(part in url for part in NOT_FOLLOWED):
                checked.add(url)
                if may_open(user, url.removeprefix("POST ")) is False:
                    result.refusals.append((parent, url, "refused by its access rule"))
                continue
            response = client.get(url, follow=True)
            result.opened[url] = response.status_code
            if response.status_code != 200 or response.request["PATH_INFO"] == reverse(
                "core:login"
            ):
                result.refusals.append((parent, url, response.status_code))
                continue
            if "text/html" not in response.get("Content-Type", ""):
                continue
            templates = {t.name for t in response.templates}
            if "base.html" in templates:
                final = response.request
                query = final.get("QUERY_STRING", "")
                result.html_pages.append(final["PATH_INFO"] + (f"?{query}" if query else ""))
            if url in nav_urls and any(name.endswith("no_access.html") for name in templates):
                result.dead_ends.append(url)
            if depth == 1 and not url.startswith(NOT_EXPANDED):
                following += [(url, link) for link in _links_and_posts(response, url)]
        frontier = following
    return result
