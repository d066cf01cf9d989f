"""Fetching a source end to end against the local feed server."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.veille.factories import SourceFactory
from tests.veille.feedserver import simple_feed
from veille.models import Cluster, Item, Source
from veille.services.ingest import adaptive_interval, backoff_seconds, ingest_source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_local")]


@pytest.mark.smoke
def test_first_fetch_creates_items_and_second_is_not_modified(feed_server):
    url = feed_server.add("/p/basic.xml", simple_feed(20, prefix="Basic"))
    source = SourceFactory(feed_url=url)

    report = ingest_source(source)

    assert (report.status, report.new, report.error_code) == (200, 20, "")
    source.refresh_from_db()
    assert source.last_outcome == Source.Outcome.OK
    assert source.etag
    assert source.consecutive_failures == 0
    assert timedelta(minutes=13) <= source.next_fetch_at - source.last_fetched_at
    assert Item.objects.filter(source=source).count() == 20

    again = ingest_source(source)

    assert (again.status, again.new, again.updated) == (304, 0, 0)
    source.refresh_from_db()
    assert source.last_outcome == Source.Outcome.NOT_MODIFIED
    assert Item.objects.filter(source=source).count() == 20


@pytest.mark.smoke
def test_same_story_from_two_sources_is_one_cluster(feed_server):
    start = datetime.now(UTC)
    a = SourceFactory(
        feed_url=feed_server.add("/p/a.xml", simple_feed(5, prefix="Story", start=start))
    )
    b = SourceFactory(
        feed_url=feed_server.add(
            "/p/b.xml", simple_feed(5, prefix="Story", start=start, base="https://other.org")
        )
    )
    ingest_source(a)
    ingest_source(b)

    assert Cluster.objects.count() == 5
    cluster = Cluster.objects.first()
    assert (cluster.item_count, cluster.source_count) == (2, 2)
    assert Item.objects.filter(is_cluster_lead=True).count() == 5


def test_requests_are_conditional_compressed_and_identified(feed_server):
    url = feed_server.add("/p/headers.xml", simple_feed(3, prefix="Hdr"), gzip=True)
    source = SourceFactory(feed_url=url)
    assert ingest_source(source).new == 3  # gzip body decoded
    first = feed_server.last_headers("/p/headers.xml")
    assert first["User-Agent"].startswith("InfluenceVeille/")
    assert {"gzip", "deflate", "br"} <= {e.strip() for e in first["Accept-Encoding"].split(",")}
    assert "If-None-Match" not in first

    ingest_source(source)
    second = feed_server.last_headers("/p/headers.xml")
    source.refresh_from_db()
    assert second["If-None-Match"] == source.etag


@pytest.mark.parametrize(
    ("per_week", "expected"),
    [(0, 24 * 3600), (1, 24 * 3600), (7, 24 * 3600), (28, 6 * 3600), (700, 15 * 60)],
)
def test_next_fetch_adapts_to_the_publishing_rate(per_week, expected):
    now = datetime.now(UTC)
    dates = [now - timedelta(days=7) * (i + 0.5) / max(per_week, 1) for i in range(per_week)]
    assert adaptive_interval(dates, now) == expected


def test_backoff_doubles_up_to_a_day():
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [900, 1800, 3600, 7200]
    assert backoff_seconds(50) == 24 * 3600
