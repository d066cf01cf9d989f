"""Helpers for the story-clustering tests: sources serving given entries, stored items."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.veille.factories import ItemFactory, SourceFactory
from tests.veille.feedserver import rss_feed, rss_item
from veille import signatures

NOW = datetime.now(UTC).replace(microsecond=0)
MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
]  # fmt: skip

STORY = (
    "Naufrage au large de la Libye : au moins 40 migrants disparus",
    "Au moins 40 migrants sont portés disparus après le naufrage d'une embarcation "
    "partie de Zuwara.",
)
VARIANT = (
    "Libye : au moins 40 migrants disparus dans un naufrage au large de Zuwara",
    "Une embarcation partie de Zuwara a fait naufrage ; au moins 40 migrants disparus selon l'OIM.",
)


def day(when: datetime) -> str:
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}"


def feed_source(feed_server, name: str, entries, *, language: str = "fr"):
    """A source whose feed serves `entries`: (title, summary, published) tuples."""
    items = [
        rss_item(
            title=title,
            guid=f"{name}-{i}",
            link=f"https://{name}.example/{i}",
            description=summary,
            pub_date=when,
        )
        for i, (title, summary, when) in enumerate(entries)
    ]
    return SourceFactory(
        name=name, feed_url=feed_server.add(f"/cl/{name}.xml", rss_feed(items, language=language))
    )


def stored_item(*, title: str, excerpt: str, published_at, source=None, **fields):
    """An item as the pipeline stores it: with its signature and band keys."""
    tokens = signatures.title_tokens(title)
    keys = signatures.band_keys(tokens, tokens)
    return ItemFactory(
        source=source or SourceFactory(),
        title=title,
        excerpt=excerpt,
        published_at=published_at,
        title_tokens=" ".join(tokens),
        text_tokens=" ".join(signatures.text_tokens(excerpt)),
        **{f"lsh{i}": key for i, key in enumerate(keys)},
        **fields,
    )
