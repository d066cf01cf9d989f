"""Full-text search of the veille: per-language parsing, exclusions, snippets, bounded
ranking over windows of recent articles, and the simple fallback used on SQLite."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from tests.veille.factories import ItemFactory
from veille.filters import inbox_data
from veille.models import Item
from veille.selectors.items import _windows, inbox_filterset, inbox_stories, newest_matches
from veille.selectors.search import (
    compile_query,
    normalise_query,
    parse_simple_query,
    safe_headline,
)

pytestmark = pytest.mark.django_db


def _search(user, **params):
    data = QueryDict(mutable=True)
    data.update({"status": "all", **params})
    return inbox_stories(filterset=inbox_filterset(user=user, data=inbox_data(data)))


def _titles(result):
    return [row.item.title for row in result.rows]


def test_languages_with_the_same_parse_share_one_group_and_one_branch_per_index():
    frontex = compile_query("Frontex")
    assert len(frontex.groups) == 1  # every configuration says 'frontex'
    # One branch per language index (French, English, Arabic, the others), each naming
    # its index's languages so PostgreSQL uses that partial index.
    branches = frontex.branches()
    assert len(branches) == 4
    assert all("language" in str(branch) for branch in branches)

    migrants = compile_query("migrants")
    parses = {tsq for _codes, tsq in migrants.groups}
    assert {"'migr'", "'migrant'", "'migrants'"} <= parses
    by_language = {code: tsq for codes, tsq in migrants.groups for code in codes}
    assert by_language["fr"] == "'migr'"
    assert by_language["en"] == "'migrant'"


def test_an_exclusion_is_applied_with_each_article_s_own_language(coordinator):
    ItemFactory(title="La mer entre la Tunisie et la Libye", language="fr")
    kept = ItemFactory(title="La mer devant Lampedusa", language="fr")

    result = _search(coordinator, q="mer -libye")

    assert _titles(result) == [kept.title]


def test_quotes_or_and_stemming(coordinator):
    a = ItemFactory(title="Évacuation de mineurs non accompagnés", language="fr")
    b = ItemFactory(title="Des mineurs accompagnés de leurs parents", language="fr")
    c = ItemFactory(title="Tuberculosis cases in Calais", language="en")

    assert _titles(_search(coordinator, q='"mineurs non accompagnés"')) == [a.title]
    assert set(_titles(_search(coordinator, q="mineur accompagné"))) == {a.title, b.title}
    assert set(_titles(_search(coordinator, q="évacuations OR tuberculosis"))) == {a.title, c.title}


def test_a_query_of_stop_words_only_finds_nothing(coordinator):
    ItemFactory(title="Le rapport de la mission", language="fr")
    assert _titles(_search(coordinator, q="le de", language="fr")) == []


def test_snippets_are_escaped_before_the_matches_are_marked(coordinator):
    # Feed text is plain text here, but may hold anything (an escaped tag in the feed).
    ItemFactory(
        title='Zouara <img src=x onerror=alert(1)> & "garde-côtes"',
        excerpt="<script>alert(1)</script> Les garde-côtes <b>libyens</b> à Zouara",
        language="fr",
    )

    row = _search(coordinator, q="Zouara").rows[0]

    title, snippet = str(row.title_html), str(row.snippet_html)
    assert "<img" not in title
    assert "&lt;img src=x onerror=alert(1)&gt;" in title
    assert "&amp;" in title
    assert "<mark>Zouara</mark>" in title
    assert "<script" not in snippet
    assert "<b>" not in snippet
    assert "<mark>Zouara</mark>" in snippet
    assert (
        str(safe_headline("a <mark>b</mark> \x02c\x03"))
        == "a &lt;mark&gt;b&lt;/mark&gt; <mark>c</mark>"
    )
    cut = safe_headline("au large de \x02Zouara\x03", source="Naufrage au large de Zouara hier")
    assert str(cut) == "… au large de <mark>Zouara</mark> …"


def test_the_query_is_cleaned_and_bounded():
    assert normalise_query("  mineurs\x00   isolés\n") == "mineurs isolés"
    assert len(normalise_query("x" * 1000)) == 300


def test_windows_cover_all_time_and_respect_the_period():
    now = timezone.now()
    windows = _windows(None, None, now)
    assert windows[0] == (now - timedelta(days=7), None)
    assert windows[-1][0] is None  # the last window has no lower bound
    assert len(windows) == 5

    recent = _windows(now - timedelta(days=20), None, now)
    assert len(recent) == 2  # the 7 days, then 7 to 30 days
    old = _windows(None, now - timedelta(days=200), now)
    assert [w[1] for w in old] == [now - timedelta(days=120), now - timedelta(days=365)]


def test_newest_matches_walk_back_through_the_windows(coordinator, settings):
    settings.VEILLE_SEARCH_CANDIDATES = 3
    now = timezone.now()
    ages = [1, 10, 50, 200, 500]
    for days in ages:
        ItemFactory(title=f"Frontex {days}", published_at=now - timedelta(days=days))
    data = inbox_data(QueryDict("q=Frontex&status=all"))

    rows = newest_matches(inbox_filterset(user=coordinator, data=data), 3).rows
    assert [r[0] for r in rows] == list(
        Item.objects.order_by("-published_at").values_list("pk", flat=True)[:3]
    )
    everything = newest_matches(inbox_filterset(user=coordinator, data=data), 10).rows
    assert len(everything) == 5


def test_story_grouping_keeps_the_best_article_per_story(coordinator):
    from tests.veille.helpers import make_story

    _cluster, items = make_story(size=3, title="Réunion à Bruxelles")
    items[2].title = "Frontex Frontex Frontex à Bruxelles"
    items[2].save()
    items[0].title = "Une mention de Frontex"
    items[0].save()

    result = _search(coordinator, q="Frontex")

    assert result.total == 1
    assert result.rows[0].item == items[2]


def test_simple_fallback_parser():
    groups = parse_simple_query('mineurs "reconnaissance de minorité" -Mayotte Calais OR Dunkerque')
    flat = [[(t.text, t.negated) for t in group] for group in groups]
    assert flat == [
        [("mineurs", False)],
        [("reconnaissance de minorité", False)],
        [("Mayotte", True)],
        [("Calais", False), ("Dunkerque", False)],
    ]
