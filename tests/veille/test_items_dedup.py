"""Deduplication keys, refetches, updates of changed entries, dates and languages."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.veille.factories import SourceFactory
from tests.veille.feedserver import rss_feed, rss_item
from veille.models import Item, Source
from veille.parsing import canonical_url, parse_feed
from veille.services.ingest import ingest_source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_local")]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "https://Example.org/a?utm_source=x&utm_medium=rss&id=3#comments",
            "https://example.org/a?id=3",
        ),
        ("http://example.org:80/a?fbclid=abc&gclid=1", "http://example.org/a"),
        ("https://lemonde.fr/x.html?xtor=RSS-3208", "https://lemonde.fr/x.html"),
        ("/relative/path?mc_cid=1&page=2", "https://site.org/relative/path?page=2"),
        ("javascript:alert(1)", ""),
    ],
)
def test_canonical_url_drops_tracking_parameters(raw, expected):
    assert canonical_url(raw, "https://site.org/feed") == expected


def _serve(feed_server, path, items):
    return feed_server.add(path, rss_feed(items))


def test_refetch_never_duplicates_and_updates_changed_entries(feed_server):
    now = datetime.now(UTC)
    items = [
        rss_item(title=f"Titre {i}", guid=f"g{i}", link=f"https://e.org/{i}", pub_date=now)
        for i in range(5)
    ]
    source = SourceFactory(feed_url=_serve(feed_server, "/d/feed.xml", items))
    assert ingest_source(source).new == 5
    first_ids = set(Item.objects.values_list("id", flat=True))

    items[2] = rss_item(
        title="Titre 2 (mis à jour)", guid="g2", link="https://e.org/2", pub_date=now
    )
    items.append(rss_item(title="Nouveau", guid="g5", link="https://e.org/5", pub_date=now))
    _serve(feed_server, "/d/feed.xml", items)
    report = ingest_source(source)

    assert (report.new, report.updated, report.unchanged) == (1, 1, 4)
    assert Item.objects.count() == 6
    assert first_ids < set(Item.objects.values_list("id", flat=True))
    changed = Item.objects.get(guid="g2")
    assert changed.title == "Titre 2 (mis à jour)"
    assert changed.changed_at is not None

    for _ in range(2):
        Source.objects.filter(pk=source.pk).update(etag="")
        source.refresh_from_db()
        ingest_source(source)
    assert Item.objects.count() == 6


def test_without_guid_the_canonical_url_is_the_key(feed_server):
    now = datetime.now(UTC)
    source = SourceFactory(
        feed_url=_serve(
            feed_server,
            "/d/noguid.xml",
            [rss_item(title="A", link="https://e.org/a?utm_source=rss", pub_date=now)],
        )
    )
    ingest_source(source)
    _serve(
        feed_server,
        "/d/noguid.xml",
        [rss_item(title="A", link="https://e.org/a?utm_source=newsletter", pub_date=now)],
    )
    ingest_source(source)
    assert Item.objects.get().url == "https://e.org/a"


def test_without_guid_or_link_title_and_date_are_the_key(feed_server):
    date = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    items = [
        rss_item(title="Communiqué", pub_date=date),
        rss_item(title="Communiqué", pub_date=date + timedelta(days=1)),
    ]
    source = SourceFactory(feed_url=_serve(feed_server, "/d/titles.xml", items))
    assert ingest_source(source).new == 2
    Source.objects.filter(pk=source.pk).update(etag="")
    source.refresh_from_db()
    assert ingest_source(source).new == 0


def test_dates_are_utc_with_fetch_time_fallback():
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
    <item><title>Paris</title><guid>1</guid>
      <pubDate>Tue, 03 Mar 2026 10:00:00 +0100</pubDate></item>
    <item><title>Sans date</title><guid>2</guid></item>
    <item><title>Futur</title><guid>3</guid><pubDate>Tue, 03 Mar 2099 10:00:00 GMT</pubDate></item>
    </channel></rss>"""
    now = datetime(2026, 3, 5, tzinfo=UTC)
    parsed = parse_feed(body, now=now)
    by_title = {e.title: e for e in parsed.entries}
    assert by_title["Paris"].published_at == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    assert not by_title["Paris"].published_at_guessed
    assert by_title["Sans date"].published_at == now
    assert by_title["Sans date"].published_at_guessed
    assert by_title["Futur"].published_at == now


def test_language_from_entry_then_feed_then_source():
    body = """<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
    <title>t</title><id>urn:f</id><updated>2026-03-01T00:00:00Z</updated>
    <entry xml:lang="ar"><title>عنوان</title><id>urn:1</id>
      <updated>2026-03-01T00:00:00Z</updated></entry>
    <entry><title>English</title><id>urn:2</id><updated>2026-03-01T00:00:00Z</updated></entry>
    </feed>""".encode()
    parsed = parse_feed(body, source_language="fr")
    assert [e.language for e in parsed.entries] == ["ar", "en"]

    rss = rss_feed([rss_item(title="Sans langue", guid="1")], language="").replace(
        "<language></language>", ""
    )
    assert parse_feed(rss.encode(), source_language="it").entries[0].language == "it"


def test_json_feed_is_read():
    body = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "JF",
      "home_page_url": "https://jf.example/", "language": "es",
      "items": [{"id": "1", "url": "https://jf.example/1", "title": "Hola",
                 "content_html": "<p>Texto <script>x()</script></p>",
                 "date_published": "2026-03-01T10:00:00+01:00"}]}"""
    parsed = parse_feed(body, content_type="application/feed+json")
    entry = parsed.entries[0]
    assert (entry.title, entry.language, entry.url) == ("Hola", "es", "https://jf.example/1")
    assert "script" not in entry.content + entry.summary
    assert entry.published_at == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_search_vector_uses_the_item_language(feed_server):
    now = datetime.now(UTC)
    body = rss_feed(
        [rss_item(title="Les migrants arrivés à Lampedusa", guid="fr1", pub_date=now)],
        language="fr",
    )
    source = SourceFactory(feed_url=feed_server.add("/d/fts.xml", body))
    ingest_source(source)
    from django.contrib.postgres.search import SearchQuery

    assert Item.objects.filter(search_vector=SearchQuery("migrant", config="french")).exists()
    assert Item.objects.filter(search_vector=SearchQuery("arrivé", config="french")).exists()


def test_arabic_items_are_stemmed_with_the_arabic_configuration(feed_server):
    from django.contrib.postgres.search import SearchQuery

    body = rss_feed(
        [rss_item(title="غرق قارب المهاجرين قبالة سواحل ليبيا", guid="ar1")], language="ar"
    )
    source = SourceFactory(feed_url=feed_server.add("/d/fts-ar.xml", body), language="ar")
    ingest_source(source)
    # "مهاجرين" (without the article) finds "المهاجرين": PostgreSQL 15 ships `arabic`.
    query = SearchQuery("مهاجرين", config="arabic", search_type="websearch")
    assert Item.objects.filter(search_vector=query).exists()


def test_source_defaults_are_copied_to_new_items(feed_server):
    from core.models import Country, Theme

    theme = Theme.objects.first()
    country = Country.objects.get(code="LY")
    source = SourceFactory(
        feed_url=feed_server.add(
            "/d/defaults.xml", rss_feed([rss_item(title="Tripoli", guid="t1")])
        ),
        themes=[theme],
        country=country,
    )
    ingest_source(source)
    item = Item.objects.get()
    assert list(item.themes.all()) == [theme]
    assert list(item.countries.all()) == [country]
