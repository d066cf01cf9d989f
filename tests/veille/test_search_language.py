"""Search that keeps its promise: accents never matter, a query word is matched in its
own language only, and phrases and exclusions are checked within a bounded budget."""

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from tests.veille.factories import ItemFactory
from veille.filters import inbox_data
from veille.selectors import inbox_filterset, inbox_stories
from veille.selectors import items as item_selectors
from veille.selectors.search import compile_query

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)


def _search(user, **params):
    data = QueryDict(mutable=True)
    data.update({"status": "all", **params})
    return inbox_stories(filterset=inbox_filterset(user=user, data=inbox_data(data)))


def _titles(result):
    return {row.item.title for row in result.rows}


@postgres_only
@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("evaluation de l'age", "L'évaluation de l'âge des mineurs isolés contestée"),
        ('"evaluation de l\'age"', "L'évaluation de l'âge des mineurs isolés contestée"),
        ("hebergement", "Hébergement d'urgence : 300 personnes sans solution"),
        ("Mediterranee", "Nouveau naufrage en Méditerranée centrale"),
        ("garde-cotes", "Les garde-côtes libyens interceptent une embarcation"),
        ("détention", "Centres de detention : un rapport accablant"),  # typed with, stored without
        ("refugies a Lampedusa", "Réfugiés : arrivées record sur Lampedusa"),  # "a" for "à"
    ],
)
def test_accents_never_matter_on_either_side(coordinator, typed, title):
    ItemFactory(title=title, language="fr")
    ItemFactory(title="Rien à voir avec le sujet", language="fr")

    assert _titles(_search(coordinator, q=typed)) == {title}


@postgres_only
def test_english_is_accent_insensitive_too(coordinator):
    ItemFactory(title="Café owners in Calais refuse to serve migrants", language="en")
    assert _titles(_search(coordinator, q="cafe owners")) == {
        "Café owners in Calais refuse to serve migrants"
    }


@postgres_only
def test_detention_finds_french_and_english_articles_in_all_languages(coordinator):
    french = ItemFactory(title="Conditions de détention à Tripoli", language="fr")
    english = ItemFactory(title="Detention conditions in Tripoli", language="en")

    assert _titles(_search(coordinator, q="detention")) == {french.title, english.title}
    assert _titles(_search(coordinator, q="detention", language="fr")) == {french.title}


@postgres_only
def test_a_french_stem_does_not_pull_english_articles(coordinator):
    # French "minorité" stems to 'minor', like English "minors": only French articles
    # are looked up with the French parse.
    ItemFactory(title="Minors held in detention on Lampedusa", language="en")
    french = ItemFactory(title="Reconnaissance de minorité refusée à Mayotte", language="fr")
    kept = ItemFactory(title="Reconnaissance de minorité refusée à Calais", language="fr")

    assert _titles(_search(coordinator, q="minorité")) == {french.title, kept.title}
    assert _titles(_search(coordinator, q="minorité -Mayotte")) == {kept.title}


@postgres_only
def test_hyphenated_words_are_decided_by_the_index_and_phrases_are_checked():
    plain = compile_query("garde-cotes")
    assert not plain.needs_recheck
    assert {c: t for cs, t in plain.groups for c in cs}["fr"] == "'garde-cot'"

    phrase = compile_query('"garde-côtes libyens"')
    assert "fr" in phrase.recheck
    words = {c: t for cs, t in phrase.index_groups for c in cs}["fr"]
    assert "<" not in words  # the index looks for the words; the phrase is checked after

    exclusion = compile_query("naufrage -Libye")
    assert "fr" in exclusion.recheck
    assert "!" not in {c: t for cs, t in exclusion.index_groups for c in cs}["fr"]


@postgres_only
def test_phrases_are_checked_on_the_rows_found_only(coordinator):
    ItemFactory(title="Les garde-côtes libyens interceptent 80 personnes", language="fr")
    ItemFactory(title="Les garde-côtes grecs et les autorités libyens", language="fr")

    result = _search(coordinator, q='"garde-côtes libyens"')

    assert _titles(result) == {"Les garde-côtes libyens interceptent 80 personnes"}


@postgres_only
def test_exclusions_and_phrases_stay_within_the_budget(coordinator, settings, monkeypatch):
    settings.VEILLE_SEARCH_CANDIDATES = 3
    monkeypatch.setattr(item_selectors, "RECHECK_BUDGET", 5)
    now = timezone.now()
    # The newest six articles holding "naufrage" all mention Libya; the only one without
    # is older than the budget of five.
    for hours in range(1, 7):
        ItemFactory(title="Naufrage près de la Libye", published_at=now - timedelta(hours=hours))
    older = ItemFactory(title="Naufrage près de Lampedusa", published_at=now - timedelta(days=3))

    result = _search(coordinator, q="naufrage -Libye")

    assert result.rows == []
    assert result.examined == 5  # five checked, and the page says older ones were not

    monkeypatch.setattr(item_selectors, "RECHECK_BUDGET", 10)
    result = _search(coordinator, q="naufrage -Libye")
    assert _titles(result) == {older.title}
    assert result.examined == 0  # everything holding the words was checked


@postgres_only
def test_the_budget_message_is_shown(client_for, coordinator, settings, monkeypatch):
    settings.VEILLE_SEARCH_CANDIDATES = 2
    monkeypatch.setattr(item_selectors, "RECHECK_BUDGET", 2)
    for _ in range(3):
        ItemFactory(title="Naufrage au large de la Libye")

    response = client_for(coordinator).get("/veille/", {"q": "naufrage -Libye", "status": "all"})

    assert response.status_code == 200
    assert "les 2 articles les plus récents" in response.content.decode()


@pytest.mark.smoke
def test_the_embedded_database_matches_without_accents_too(coordinator):
    """SQLite (embedded default): words compared without case or accents; PostgreSQL:
    the unaccented text search configurations."""
    ItemFactory(title="Hébergement d'urgence à Calais", excerpt="La préfecture.", language="fr")
    ItemFactory(title="Méditerranée : un naufrage", excerpt="Zouara.", language="fr")
    ItemFactory(title="Rien à voir", excerpt="Calais.", language="fr")

    assert _titles(_search(coordinator, q="hebergement")) == {"Hébergement d'urgence à Calais"}
    assert _titles(_search(coordinator, q="HÉBERGEMENT prefecture")) == {
        "Hébergement d'urgence à Calais"
    }
    assert _titles(_search(coordinator, q="mediterranee -Calais")) == {"Méditerranée : un naufrage"}


@postgres_only
def test_existing_rows_are_reindexed_in_batches(monkeypatch):
    """Migration 0008 recomputes every vector, batch after batch."""
    items = [ItemFactory(title=f"Hébergement d'urgence n° {n}", language="fr") for n in range(7)]
    with connection.cursor() as cursor:
        # As indexed before migration 0007: no accent folding.
        cursor.execute(
            "UPDATE veille_item SET search_vector = to_tsvector('french', title) "
            "WHERE id = ANY(%s)",
            [[i.pk for i in items]],
        )
    ids = [i.pk for i in items]

    def found() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM veille_item WHERE id = ANY(%s) "
                "AND search_vector @@ to_tsquery('veille_french', 'hebergement')",
                [ids],
            )
            return cursor.fetchone()[0]

    assert found() == 0
    migration = importlib.import_module("veille.migrations.0010_search_reindex")
    monkeypatch.setattr(migration, "BATCH", 2)
    executed = []
    real_cursor = connection.cursor

    class Recording:
        def __init__(self):
            self._cursor = real_cursor()

        def __enter__(self):
            self._inner = self._cursor.__enter__()
            return self

        def __exit__(self, *exc):
            return self._cursor.__exit__(*exc)

        def execute(self, sql, params=None):
            executed.append(sql)
            return self._inner.execute(sql, params)

        def fetchone(self):
            return self._inner.fetchone()

    editor = SimpleNamespace(connection=SimpleNamespace(vendor="postgresql", cursor=Recording))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's transaction: no DDL else

    migration.reindex(None, editor)

    updates = [sql for sql in executed if sql.startswith("UPDATE veille_item")]
    low, high = min(i.pk for i in items), max(i.pk for i in items)
    assert len(updates) >= (high - low + 1) // 2  # one statement per batch of two ids
    assert found() == 7
