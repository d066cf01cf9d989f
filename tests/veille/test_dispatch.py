"""The dispatcher claims due sources atomically; workers run each claim once."""

import json
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.veille.factories import SourceFactory
from tests.veille.feedserver import simple_feed
from veille import services, tasks
from veille.models import Item, Source


def _make_due(n):
    past = timezone.now() - timedelta(minutes=1)
    return [SourceFactory(next_fetch_at=past) for _ in range(n)]


@pytest.mark.django_db
def test_only_due_active_unclaimed_sources_are_claimed():
    due = _make_due(3)
    SourceFactory(next_fetch_at=timezone.now() + timedelta(hours=1))
    SourceFactory(next_fetch_at=timezone.now() - timedelta(hours=1), active=False)
    SourceFactory(
        next_fetch_at=timezone.now() - timedelta(hours=1),
        claimed_until=timezone.now() + timedelta(minutes=2),
        claim_token="someone",
    )

    token, ids = services.sources_claim_due()

    assert sorted(ids) == sorted(s.pk for s in due)
    assert set(Source.objects.filter(pk__in=ids).values_list("claim_token", flat=True)) == {token}
    assert services.sources_claim_due()[1] == []


@pytest.mark.django_db
def test_an_expired_claim_is_taken_again():
    (source,) = _make_due(1)
    Source.objects.filter(pk=source.pk).update(
        claim_token="dead-worker", claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert services.sources_claim_due()[1] == [source.pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_dispatchers_racing_never_claim_the_same_source():
    sources = _make_due(60)
    results: list[list[int]] = []
    barrier = threading.Barrier(2)
    errors = []

    def dispatcher():
        try:
            barrier.wait()
            claimed = []
            for _ in range(10):
                claimed += services.sources_claim_due(limit=7)[1]
            results.append(claimed)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors
    first, second = results
    assert first, "both dispatchers should have claimed some sources"
    assert second, "both dispatchers should have claimed some sources"
    assert not set(first) & set(second)
    assert sorted(first + second) == sorted(s.pk for s in sources)


@pytest.mark.django_db
def test_fetch_task_runs_only_with_the_current_claim(allow_local, feed_server, monkeypatch):
    source = SourceFactory(feed_url=feed_server.add("/t/claim.xml", simple_feed(3)))
    token = services.source_claim(source=source)
    assert services.source_claim(source=source) is None  # already claimed

    assert tasks.fetch_source.run(source.pk, "stale-token") is None
    assert not Item.objects.exists()

    assert tasks.fetch_source.run(source.pk, token) == {"new": 3, "updated": 0, "error": ""}
    source.refresh_from_db()
    assert (source.claim_token, source.claimed_until) == ("", None)
    # A redelivered message (acks_late) finds the claim released and does nothing.
    assert tasks.fetch_source.run(source.pk, token) is None


@pytest.mark.django_db
def test_dispatch_enqueues_one_task_per_claimed_source(
    monkeypatch, django_capture_on_commit_callbacks
):
    _make_due(4)
    sent = []
    monkeypatch.setattr(tasks.fetch_source, "delay", lambda *args: sent.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sources_dispatch_due() == 4
    assert len(sent) == 4
    assert len({pk for pk, _token in sent}) == 4


@pytest.mark.django_db
def test_veille_fetch_command_prints_one_json_line(allow_local, feed_server):
    url = feed_server.add("/t/command.xml", simple_feed(4, prefix="Cmd"))
    out = StringIO()
    call_command("veille_fetch", url, stdout=out)
    line = json.loads(out.getvalue().strip())
    assert line == {
        "url": url,
        "status": 200,
        "new": 4,
        "updated": 0,
        "unchanged": 0,
        "error": None,
    }
    source = Source.objects.get(feed_url=url)

    out = StringIO()
    call_command("veille_fetch", url, "--source-id", str(source.pk), stdout=out)
    assert json.loads(out.getvalue())["status"] == 304


@pytest.mark.django_db
def test_veille_fetch_command_applies_the_guard(no_allowlist):
    out = StringIO()
    call_command("veille_fetch", "http://169.254.169.254/latest/meta-data/", stdout=out)
    line = json.loads(out.getvalue())
    assert line["error"].startswith("forbidden_address")
    assert line["new"] == 0
    assert not Source.objects.exists()

    out = StringIO()
    call_command("veille_fetch", "http://localhost/feed", stdout=out)
    assert json.loads(out.getvalue())["error"].startswith("forbidden_address")


@pytest.mark.django_db
def test_a_running_fetch_holds_a_short_lease_so_a_killed_worker_frees_its_source(
    allow_local, feed_server, monkeypatch, settings
):
    settings.JOB_LEASE_SECONDS = 6
    source = SourceFactory(
        feed_url=feed_server.add("/t/lease.xml", simple_feed(2)),
        next_fetch_at=timezone.now() - timedelta(minutes=1),
    )
    token, ids = services.sources_claim_due()
    assert ids == [source.pk]
    queued_until = Source.objects.get(pk=source.pk).claimed_until
    assert queued_until > timezone.now() + timedelta(seconds=60)  # waiting for a worker

    from veille.services import ingest

    seen = {}
    real_ingest = ingest.ingest_source

    def ingest_and_look(src, **kwargs):
        seen["claimed_until"] = Source.objects.get(pk=src.pk).claimed_until
        return real_ingest(src, **kwargs)

    monkeypatch.setattr(ingest, "ingest_source", ingest_and_look)
    assert tasks.fetch_source.run(source.pk, token)["new"] == 2
    # While it ran, the source was held for one short lease only ...
    assert seen["claimed_until"] <= timezone.now() + timedelta(seconds=6)
    # ... so had the worker died there, the next dispatch would have claimed it again.
    Source.objects.filter(pk=source.pk).update(
        claim_token=token,
        claimed_until=seen["claimed_until"],
        next_fetch_at=timezone.now() - timedelta(seconds=1),
    )
    with monkeypatch.context() as m:
        m.setattr(timezone, "now", lambda: seen["claimed_until"] + timedelta(seconds=1))
        assert services.sources_claim_due()[1] == [source.pk]
