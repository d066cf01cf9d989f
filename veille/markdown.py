"""Markdown of analysis notes: core's safe Markdown plus numbered citations.

``[@123]`` in the text refers to the cited article 123 and is rendered as a numbered
reference ``[1]`` linking to the list of sources at the end of the note (the number is
the article's position in that list). A reference to an article the note does not cite
stays as typed, so the author sees it.
"""

from __future__ import annotations

import re

from django.utils.safestring import SafeString
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline

from core.markdown import render_markdown

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


def citation_plugin(numbers: dict[int, int]):
    """A markdown-it plugin turning ``[@id]`` into the article's number in `numbers`."""

    def plugin(md: MarkdownIt) -> None:
        md.inline.ruler.before("link", "cite_ref", _citation_rule)

        def render_cite(self, tokens, idx, options, env):
            token = tokens[idx]
            number = numbers.get(token.meta["item_id"])
            if number is None:
                return escapeHtml(token.content)
            return (
                f'<sup class="cite-ref"><a href="#cite-{token.meta["item_id"]}" '
                f'class="cite-ref-link">[{number}]</a></sup>'
            )

        md.add_render_rule("cite_ref", render_cite)

    return plugin


def render_note_markdown(text: str, *, citations=()) -> SafeString:
    """Safe HTML for a note's Markdown; `citations` are the cited articles, in order."""
    numbers = {item.pk: position for position, item in enumerate(citations, start=1)}
    return render_markdown(text, plugins=[citation_plugin(numbers)])
