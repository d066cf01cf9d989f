"""Every bad input ends as a clear message on the source (or a skipped
entry with a reason), the worker keeps going and no half-written item is left."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests.veille.factories import SourceFactory
from tests.veille.feedserver import rss_feed, rss_item, simple_feed
from veille.models import Item, Source
from veille.parsing import ParseError, parse_feed
from veille.services import ingest as pipeline
from veille.services.ingest import ingest_source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_local")]

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><guid>bomb</guid></item></channel></rss>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title>
<item><title>&xxe;</title><guid>xxe</guid><description>&xxe;</description></item>
</channel></rss>"""

HTML_PAGE = """<!DOCTYPE html><html lang="fr"><head><title>Accueil</title></head>
<body><h1>Bienvenue</h1><p>Ceci est une page, pas un flux.</p></body></html>"""


def _source(feed_server, path, body=b"", **options):
    return SourceFactory(feed_url=feed_server.add(path, body, **options))


def _assert_error(source, code, *, status=None):
    source.refresh_from_db()
    assert source.last_outcome == Source.Outcome.ERROR
    assert source.last_error_code == code
    assert source.consecutive_failures == 1
    assert source.next_fetch_at > timezone.now() + timedelta(minutes=10)
    assert source.claim_token == ""
    if status is not None:
        assert source.last_status == status
    assert not Item.objects.filter(source=source).exists()


def test_invalid_url_is_reported(settings):
    source = SourceFactory(feed_url="https://feeds.example.org/rss.xml")
    Source.objects.filter(pk=source.pk).update(feed_url="http://exa mple.org/feed")
    source.refresh_from_db()
    report = ingest_source(source)
    assert report.error_code == "invalid_url"
    _assert_error(source, "invalid_url")


def test_html_page_instead_of_feed(feed_server):
    source = _source(feed_server, "/bad/page.html", HTML_PAGE, content_type="text/html")
    assert ingest_source(source).error_code == "not_a_feed"
    _assert_error(source, "not_a_feed", status=200)


@pytest.mark.parametrize("status", [404, 410, 500])
def test_http_errors(feed_server, status):
    source = _source(feed_server, f"/bad/status-{status}", b"nope", status=status)
    report = ingest_source(source)
    assert (report.error_code, report.status) == ("http_error", status)
    _assert_error(source, "http_error", status=status)


def test_repeated_failures_back_off_exponentially_but_never_disable(feed_server):
    source = _source(feed_server, "/bad/always-500", b"", status=500)
    delays = []
    for _ in range(8):
        Source.objects.filter(pk=source.pk).update(next_fetch_at=timezone.now())
        source.refresh_from_db()
        ingest_source(source)
        source.refresh_from_db()
        delays.append((source.next_fetch_at - source.last_fetched_at).total_seconds())
    assert source.consecutive_failures == 8
    assert source.active is True
    assert source.is_failing
    assert delays[1] > delays[0] * 1.5
    assert max(delays) <= 24 * 3600 * 1.1


def test_timeout(feed_server, settings):
    settings.VEILLE_FETCH_READ_TIMEOUT = 0.3
    source = _source(feed_server, "/bad/slow.xml", simple_feed(1), delay=1.5)
    assert ingest_source(source).error_code == "timeout"
    _assert_error(source, "timeout")


def test_fifty_megabyte_body_is_cut_at_the_cap(feed_server):
    source = _source(feed_server, "/bad/huge.xml", stream_bytes=50 * 1024 * 1024)
    started = datetime.now(UTC)
    assert ingest_source(source).error_code == "too_large"
    assert datetime.now(UTC) - started < timedelta(seconds=10)
    _assert_error(source, "too_large")


def test_declared_content_length_over_the_cap(feed_server, settings):
    settings.VEILLE_FETCH_MAX_BYTES = 1000
    source = _source(feed_server, "/bad/long.xml", simple_feed(50))
    assert ingest_source(source).error_code == "too_large"


def test_gzip_bomb_is_cut_on_decompressed_size(feed_server, settings):
    settings.VEILLE_FETCH_MAX_BYTES = 200_000
    body = "<rss version='2.0'><channel>" + " " * 5_000_000 + "</channel></rss>"
    source = _source(feed_server, "/bad/gzip-bomb.xml", body, gzip=True)
    assert ingest_source(source).error_code == "too_large"


def test_entity_expansion_bomb(feed_server):
    source = _source(feed_server, "/bad/bomb.xml", BOMB)
    assert ingest_source(source).error_code == "entity_forbidden"
    _assert_error(source, "entity_forbidden")


def test_external_entity_feed(feed_server):
    source = _source(feed_server, "/bad/xxe.xml", XXE)
    assert ingest_source(source).error_code == "entity_forbidden"
    _assert_error(source, "entity_forbidden")


@pytest.mark.parametrize(
    "body",
    [
        XXE.encode("utf-16"),  # with a byte-order mark
        XXE.replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16-le"),
        BOMB.replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16-be"),
        b"\n  " + XXE.encode("utf-8"),  # whitespace before the declaration
        XXE.replace('version="1.0"', 'version="1.0" encoding="Shift_JIS"').encode("shift_jis"),
    ],
    ids=["utf16-bom", "utf16le-declared", "utf16be-bomb", "leading-space", "shift-jis"],
)
def test_entities_are_refused_whatever_the_encoding(feed_server, body):
    with pytest.raises(ParseError) as refused:
        parse_feed(body, content_type="application/rss+xml")
    assert refused.value.code == "entity_forbidden"

    source = _source(feed_server, f"/bad/entities-{abs(hash(body))}.xml", body)
    assert ingest_source(source).error_code == "entity_forbidden"
    _assert_error(source, "entity_forbidden")


def test_a_doctype_alone_is_refused_too():
    body = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS'
        b' 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
        b"<rss version='0.91'><channel><title>t</title></channel></rss>"
    )
    with pytest.raises(ParseError) as refused:
        parse_feed(body)
    assert refused.value.code == "entity_forbidden"


def test_utf16_and_legacy_encodings_without_a_dtd_still_parse():
    feed = rss_feed([rss_item(title="Café à Calais", guid="u16", link="https://e.org/u16")])
    utf16 = feed.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    assert [e.title for e in parse_feed(utf16).entries] == ["Café à Calais"]
    latin = feed.replace('encoding="utf-8"', 'encoding="iso-8859-1"').encode("iso-8859-1")
    assert [e.title for e in parse_feed(b"\n " + latin).entries] == ["Café à Calais"]


def test_invalid_bytes_in_declared_encoding_are_replaced_and_reported(feed_server):
    body = rss_feed(
        [
            rss_item(title="Café à Calais", guid="ok", link="https://e.org/1"),
            rss_item(title="Octets BYTES", guid="bad", link="https://e.org/2"),
        ]
    ).encode("utf-8")
    body = body.replace(b"BYTES", b"\xff\xfe\xc3")
    source = _source(feed_server, "/bad/encoding.xml", body)
    report = ingest_source(source)
    assert (report.error_code, report.new) == ("", 2)
    titles = set(Item.objects.filter(source=source).values_list("title", flat=True))
    assert "Café à Calais" in titles
    assert any("\ufffd" in t for t in titles)
    source.refresh_from_db()
    assert "Octets invalides" in source.last_error


def test_truncated_document_writes_nothing(feed_server):
    body = simple_feed(10)
    source = _source(feed_server, "/bad/truncated.xml", body[: len(body) // 2])
    assert ingest_source(source).error_code == "truncated"
    _assert_error(source, "truncated")


def test_feed_with_five_thousand_entries(feed_server):
    source = _source(feed_server, "/bad/big.xml", simple_feed(5000, prefix="Big"))
    report = ingest_source(source)
    assert (report.error_code, report.new) == ("", 5000)
    assert Item.objects.filter(source=source).count() == 5000
    assert ingest_source(source).status == 304


def test_duplicate_guids_inside_one_feed_are_skipped_with_a_reason(feed_server):
    now = datetime.now(UTC)
    body = rss_feed(
        [
            rss_item(title="Premier", guid="same", link="https://e.org/a", pub_date=now),
            rss_item(title="Second", guid="same", link="https://e.org/b", pub_date=now),
            rss_item(title="Troisième", guid="other", link="https://e.org/c", pub_date=now),
        ]
    )
    source = _source(feed_server, "/bad/dup-guid.xml", body)
    report = ingest_source(source)
    assert report.new == 2
    assert report.skipped[0]["reason"].startswith("Identifiant (GUID) en double")
    source.refresh_from_db()
    assert source.last_outcome == Source.Outcome.OK
    assert "GUID" in source.last_error


def test_entries_without_link_or_title(feed_server):
    now = datetime.now(UTC)
    body = rss_feed(
        [
            rss_item(title="Sans lien", guid=None, link=None, pub_date=now),
            rss_item(
                title=None, guid=None, link="https://e.org/sans-titre", description="Texte seul."
            ),
            rss_item(title=None, guid=None, link=None, description=None),
        ]
    )
    source = _source(feed_server, "/bad/no-link.xml", body)
    report = ingest_source(source)
    assert report.new == 2
    assert len(report.skipped) == 1
    titles = set(Item.objects.filter(source=source).values_list("title", flat=True))
    assert titles == {"Sans lien", "Texte seul."}
    # Refetching (no ETag match: the server changed nothing, so it is a 304) and a
    # forced full refetch both keep the same two rows.
    Source.objects.filter(pk=source.pk).update(etag="")
    source.refresh_from_db()
    again = ingest_source(source)
    assert (again.new, again.unchanged) == (0, 2)


def test_rate_limited_source_honours_retry_after(feed_server):
    source = _source(
        feed_server, "/bad/429.xml", b"slow down", status=429, headers={"Retry-After": "7200"}
    )
    report = ingest_source(source)
    assert report.error_code == "rate_limited"
    source.refresh_from_db()
    assert source.next_fetch_at - source.last_fetched_at >= timedelta(seconds=7200)


def test_failure_while_writing_leaves_no_half_written_item(feed_server, monkeypatch):
    source = _source(feed_server, "/bad/db-fails.xml", simple_feed(30, prefix="Half"))

    def boom(*args, **kwargs):
        # Fails after the items were inserted, inside the feed's transaction.
        assert Item.objects.filter(source=source).count() == 30
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline, "_record_success", boom)
    report = ingest_source(source)
    assert report.error_code == "internal"
    _assert_error(source, "internal")

    # The worker keeps going: the next source is fetched normally.
    monkeypatch.undo()
    other = _source(feed_server, "/bad/after.xml", simple_feed(3, prefix="After"))
    assert ingest_source(other).new == 3


def test_too_many_redirects(feed_server):
    for i in range(7):
        feed_server.redirect(f"/bad/loop{i}", f"/bad/loop{i + 1}")
    feed_server.add("/bad/loop7", simple_feed(1))
    source = SourceFactory(feed_url=feed_server.url("/bad/loop0"))
    assert ingest_source(source).error_code == "too_many_redirects"
    ok = SourceFactory(feed_url=feed_server.url("/bad/loop2"))
    assert ingest_source(ok).new == 1  # 5 redirects are fine
