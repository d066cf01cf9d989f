"""What story clustering costs per new entry: a ceiling on the candidates each entry is
compared with, and signatures computed once per article, never per pair."""

import random
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.veille.cluster_helpers import NOW, STORY, VARIANT, day, feed_source, stored_item
from veille import signatures
from veille.models import Cluster, Item
from veille.services import clustering
from veille.services.ingest import ingest_source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_local")]


def _unrelated_titles(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    syllables = [c + v for c in "bdfklmnprstvz" for v in "aeiou"]
    return [
        " ".join("".join(rng.choice(syllables) for _ in range(3)) for _ in range(6)).capitalize()
        for _ in range(count)
    ]


@pytest.fixture
def comparisons(monkeypatch):
    """Counts the comparisons of each new entry with a candidate (keyed by the entry's
    signature): every pair goes through `title_verdict` first."""
    counted: Counter = Counter()
    real = signatures.title_verdict

    def counting(mine, theirs):
        counted[id(mine)] += 1
        return real(mine, theirs)

    monkeypatch.setattr(signatures, "title_verdict", counting)
    return counted


STORIES = [
    STORY,
    (
        "Le Conseil d'État suspend la circulaire sur l'évaluation de l'âge des mineurs",
        "Saisi par plusieurs associations, le Conseil d'État a suspendu la circulaire.",
    ),
    (
        "Calais : les associations alertent sur les conditions de vie avant l'hiver",
        "Distribution de repas, accès à l'eau et aux douches : la situation se dégrade.",
    ),
    (
        "Frontex va renforcer la surveillance aérienne au large de la Libye",
        "Le conseil d'administration de l'agence a approuvé de nouveaux déploiements.",
    ),
    (
        "Tunisie : des migrants subsahariens expulsés vers la frontière algérienne",
        "Des personnes interceptées à Sfax ont été conduites vers le désert.",
    ),
]


def test_each_new_entry_examines_at_most_the_ceiling_of_candidates(feed_server, comparisons):
    # Each of five stories already told by 80 other sources, all within the window:
    # every one of those articles shares band keys with the new entry of its story.
    for title, text in STORIES:
        for n in range(80):
            stored_item(title=title, excerpt=text, published_at=NOW - timedelta(minutes=n))
    entries = [(title, text, NOW) for title, text in STORIES]
    entries += [
        (title, "Un autre sujet.", NOW - timedelta(minutes=n))
        for n, title in enumerate(_unrelated_titles(5, seed=1), start=1)
    ]
    source = feed_source(feed_server, "late", entries)

    ingest_source(source)

    assert len(comparisons) == 5  # the five stories' entries had candidates…
    # …far more than the ceiling, of which they examined exactly the ceiling…
    assert set(comparisons.values()) == {clustering.MAX_COMPARISONS}
    # …and the ceiling did not cost the answer: each joined its story.
    joined = Item.objects.filter(source=source, cluster__isnull=False)
    assert joined.count() == 5
    assert joined.values("cluster").distinct().count() == 5


def test_templated_feeds_cost_no_comparison(feed_server, comparisons):
    boilerplate = (
        "Journal officiel de la République française : sommaire de l'édition du jour, lois, "
        "décrets, arrêtés, circulaires, avis et communications."
    )

    def issues(first):
        return [
            (
                f"JORF n° {first + i} du {day(NOW - timedelta(hours=2 * i))}",
                boilerplate,
                NOW - timedelta(hours=2 * i),
            )
            for i in range(30)
        ]

    for name, first in (("jo-1", 100), ("jo-2", 300), ("jo-3", 500)):
        ingest_source(feed_source(feed_server, name, issues(first)))

    # Titles that are a template and a number are only looked up by their exact title:
    # none of these 90 entries had a candidate to compare with, none was clustered.
    assert sum(comparisons.values()) == 0
    assert not Cluster.objects.exists()


def test_signatures_are_computed_once_per_new_entry(feed_server, monkeypatch):
    for n in range(60):
        stored_item(title=VARIANT[0], excerpt=VARIANT[1], published_at=NOW - timedelta(hours=n))
    calls = Counter()
    real = signatures.tokens

    def counting(text, **kwargs):
        calls[text] += 1
        return real(text, **kwargs)

    monkeypatch.setattr(signatures, "tokens", counting)
    source = feed_source(feed_server, "once", [(STORY[0], STORY[1], NOW)])

    ingest_source(source)

    # The new entry's title and excerpt, once each; the 60 stored candidates are read
    # from their stored tokens, never tokenised again.
    assert sum(calls.values()) == 2
    assert Item.objects.get(source=source).cluster is not None
    stored = Item.objects.get(source=source)
    assert stored.title_tokens.split() == signatures.title_tokens(STORY[0])
    assert stored.text_tokens.split() == signatures.text_tokens(STORY[1])


def test_one_candidate_query_per_feed_whatever_its_size(feed_server):
    for n in range(40):
        stored_item(title=STORY[0], excerpt=STORY[1], published_at=NOW - timedelta(minutes=n))
    ingest_source(feed_source(feed_server, "first", [(*VARIANT, NOW)]))  # the story exists

    def feed(name, size):
        entries = [(f"{STORY[0]} ({name})", STORY[1], NOW)]
        entries += [
            (title, "Un autre sujet.", NOW - timedelta(minutes=n))
            for n, title in enumerate(_unrelated_titles(size - 1, seed=size), start=1)
        ]
        return feed_source(feed_server, name, entries)

    counts = {}
    for size in (21, 60):
        source = feed(f"size-{size}", size)
        with CaptureQueriesContext(connection) as captured:
            ingest_source(source)
        assert Item.objects.filter(source=source).count() == size
        assert Item.objects.get(source=source, title__endswith=f"(size-{size})").cluster_id
        counts[size] = [q["sql"] for q in captured.captured_queries]
    assert len(counts[21]) == len(counts[60])
    assert len([sql for sql in counts[60] if "lsh0 = ANY" in sql]) == 1
