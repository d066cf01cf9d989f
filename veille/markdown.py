"""Markdown of analysis notes → safe HTML.

markdown-it-py (CommonMark + tables + strikethrough) with raw HTML turned off, then nh3
with a short allowlist as a second lock: whatever an author types, the page never gets a
script, an event handler, a style or a ``javascript:`` link.

Citations: ``[@123]`` in the text refers to the cited article 123 and is rendered as a
numbered reference ``[1]`` linking to the list of sources at the end of the note (the
number is the article's position in that list). A reference to an article the note does
not cite stays as typed, so the author sees it.
"""

from __future__ import annotations

import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

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
_CITE = re.compile(r"\[@(\d{1,12})\]")


def _citation_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[@", state.pos):
        return False
    match = _CITE.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("cite_ref", "", 0)
        token.meta = {"item_id": int(match.group(1))}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _parser(numbers: dict[int, int]) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.inline.ruler.before("link", "cite_ref", _citation_rule)

    def render_cite(self, tokens, idx, options, env):
        token = tokens[idx]
        number = numbers.get(token.meta["item_id"])
        if number is None:
            return self.escapeHtml(token.content) if hasattr(self, "escapeHtml") else token.content
        return (
            f'<sup class="cite-ref"><a href="#cite-{token.meta["item_id"]}" '
            f'class="cite-ref-link">[{number}]</a></sup>'
        )

    md.add_render_rule("cite_ref", render_cite)
    return md


def render_markdown(text: str, *, citations=()) -> SafeString:
    """Safe HTML for a note's Markdown; `citations` are the cited articles, in order."""
    if not text:
        return mark_safe("")
    numbers = {item.pk: position for position, item in enumerate(citations, start=1)}
    html = _parser(numbers).render(text)
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
