"""Markdown → safe HTML, for every text people write (notes, strategies, messages, briefings).

markdown-it-py (CommonMark + tables + strikethrough) with raw HTML turned off, then nh3
with a short allowlist as a second lock: whatever an author types, the page never gets a
script, an event handler, a style or a `javascript:` link.

An app adds its own inline syntax with a plugin, a callable `plugin(md: MarkdownIt)` that
adds rules and render rules (see the citation plugin of analysis notes); what the plugin
renders still goes through the allowlist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import unescape

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "li", "ol", "p", "pre", "s", "strong", "sup", "table", "tbody", "td", "th",
        "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "id"},
    "sup": {"class"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    "*": {"dir"},
}

Plugin = Callable[[MarkdownIt], None]


def markdown_parser(plugins: Iterable[Plugin] = ()) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    for plugin in plugins:
        plugin(md)
    return md


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str, *, plugins: Iterable[Plugin] = ()) -> SafeString:
    """Safe HTML for `text`."""
    if not text:
        return mark_safe("")
    html = markdown_parser(plugins).render(text)
    return mark_safe(sanitise_html(html))  # noqa: S308 - sanitised by nh3 just above


def markdown_plain(text: str, *, limit: int = 300) -> str:
    """The text of a Markdown source without markup, for excerpts and search snippets."""
    if not text:
        return ""
    html = markdown_parser().render(text)
    plain = " ".join(unescape(nh3.clean(html, tags=set())).split())
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"
