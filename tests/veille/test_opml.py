"""OPML import (in a real worker, with progress) and export."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.veille.factories import OpmlImportFactory, SourceFactory
from tests.waiting import wait_until
from veille import opml
from veille.models import OpmlImport, Source


def _opml(entries: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n'
        "<head><title>t</title></head>\n"
        '<body>\n<outline text="Migrations">\n'
        + "\n".join(entries)
        + "\n</outline>\n</body>\n</opml>\n"
    )


def _outline(i, url=None, title=None):
    url = url or f"https://feeds{i}.example.org/rss.xml"
    title = f"Source {i}" if title is None else title
    return f'<outline type="rss" text="{title}" title="{title}" xmlUrl="{url}" htmlUrl="https://feeds{i}.example.org/"/>'


def test_reading_reports_line_numbers_and_keeps_nested_outlines():
    outlines = opml.read(_opml([_outline(1), _outline(2)]))
    assert [(o.line, o.title) for o in outlines] == [(6, "Source 1"), (7, "Source 2")]


def test_reading_refuses_entities_and_non_opml():
    with pytest.raises(opml.OpmlError):
        opml.read('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><opml><body/></opml>')
    with pytest.raises(opml.OpmlError):
        opml.read("<rss><channel/></rss>")
    with pytest.raises(opml.OpmlError):
        opml.read("<opml><body><outline")


@pytest.mark.parametrize(
    "payload",
    [
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]>'
        '<opml><body><outline xmlUrl="https://e.org/&a;"/></body></opml>',
        '<!DOCTYPE opml SYSTEM "file:///etc/passwd"><opml><body/></opml>',
    ],
)
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", None])
def test_reading_refuses_a_dtd_in_any_encoding(payload, encoding):
    document = payload if encoding is None else payload.encode(encoding)
    with pytest.raises(opml.OpmlError, match="DTD"):
        opml.read(document)


def test_reading_a_utf16_file_without_dtd():
    document = _opml([_outline(1)]).replace("UTF-8", "UTF-16").encode("utf-16")
    assert [o.url for o in opml.read(document)] == ["https://feeds1.example.org/rss.xml"]


@pytest.mark.django_db
def test_invalid_entries_are_reported_and_valid_ones_kept(coordinator):
    SourceFactory(feed_url="https://already.example.org/rss")
    payload = _opml(
        [
            _outline(1),
            _outline(2, url="javascript:alert(1)"),
            _outline(3, url="http://169.254.169.254/latest"),
            _outline(4, url="https://feeds4.example.org:8443/rss"),
            _outline(5, url="not a url"),
            _outline(1),  # twice in the file
            _outline(6, url="https://already.example.org/rss"),
            _outline(7, title=""),
        ]
    )
    job = opml.import_run(OpmlImportFactory(created_by=coordinator, payload=payload))

    assert job.status == OpmlImport.Status.DONE
    assert (job.total, job.processed, job.created_count, job.existing_count, job.error_count) == (
        8,
        8,
        2,
        1,
        5,
    )
    reasons = {e["line"]: e["reason"] for e in job.errors}
    assert reasons[7] == "Adresse du flux invalide."
    assert reasons[8] == "Adresse interne refusée."
    assert reasons[9].startswith("Port refusé")
    assert reasons[11] == "Flux présent deux fois dans le fichier."
    assert Source.objects.filter(feed_url="https://feeds7.example.org/rss.xml").get().name == (
        "https://feeds7.example.org/rss.xml"
    )
    assert job.payload == ""


@pytest.mark.django_db
def test_broken_file_fails_with_a_reason(coordinator):
    job = opml.import_run(OpmlImportFactory(created_by=coordinator, payload="<opml><body>"))
    assert job.status == OpmlImport.Status.FAILED
    assert job.failure.startswith("XML illisible")


def test_five_hundred_sources_through_a_real_worker(celery_worker, coordinator, client_for):
    client = client_for(coordinator)
    entries = [_outline(i) for i in range(500)] + [_outline(900, url="ftp://x.example/feed")]
    upload = SimpleUploadedFile("abonnements.opml", _opml(entries).encode(), "text/x-opml")

    response = client.post(
        reverse("veille:opml_import"),
        {"file": upload, "default_kind": "ngo", "default_language": "fr"},
    )
    job = OpmlImport.objects.get()
    assert response.url == reverse("veille:opml_import_status", args=[job.pk])

    wait_until(
        lambda: OpmlImport.objects.get(pk=job.pk).is_finished, timeout=60, what="import finished"
    )
    job.refresh_from_db()
    assert job.status == OpmlImport.Status.DONE
    assert (job.created_count, job.error_count) == (500, 1)
    assert Source.objects.filter(kind="ngo", language="fr").count() == 500

    # The progress partial (what htmx polls every 2 s) stops polling once finished.
    partial = client.get(
        reverse("veille:opml_import_status", args=[job.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "500 sources créées" in partial
    assert "1 entrée refusée" in partial
    assert "every 2s" not in partial


@pytest.mark.django_db
def test_progress_partial_polls_while_running(client_for, coordinator):
    job = OpmlImportFactory(created_by=coordinator, status="running", total=500, processed=150)
    body = (
        client_for(coordinator)
        .get(reverse("veille:opml_import_status", args=[job.pk]), headers={"HX-Request": "true"})
        .content.decode()
    )
    assert 'hx-trigger="every 2s"' in body
    assert "150 entrées traitées sur 500" in body
    assert "w-pct-30" in body


@pytest.mark.django_db
def test_upload_that_is_not_opml_is_refused_with_a_message(client_for, coordinator):
    upload = SimpleUploadedFile("photo.opml", b"\x89PNG\r\n", "application/octet-stream")
    response = client_for(coordinator).post(
        reverse("veille:opml_import"), {"file": upload, "default_kind": "media"}
    )
    assert response.status_code == 200
    assert "pas un fichier OPML" in response.content.decode()
    assert not OpmlImport.objects.exists()


@pytest.mark.django_db
def test_export_roundtrips_through_import(client_for, viewer, coordinator):
    SourceFactory(name="Forum réfugiés & co", feed_url="https://forum.example/rss", language="fr")
    SourceFactory(name="UNHCR", feed_url="https://unhcr.example/rss", kind="un_agency")
    response = client_for(viewer).get(reverse("veille:opml_export"))
    assert response["Content-Type"].startswith("text/x-opml")
    body = response.content.decode()
    outlines = opml.read(body)
    assert {(o.title, o.url) for o in outlines} == {
        ("Forum réfugiés & co", "https://forum.example/rss"),
        ("UNHCR", "https://unhcr.example/rss"),
    }
    from core.models import AuditEvent

    assert AuditEvent.objects.filter(action="export", actor=viewer).exists()


@pytest.mark.django_db
def test_lost_imports_are_queued_again(
    coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from veille import services, tasks

    sent = []
    monkeypatch.setattr(tasks.import_opml, "apply_async", lambda args, **kw: sent.append(args[0]))
    now = timezone.now()
    old = now - timedelta(minutes=30)
    lost = OpmlImportFactory(created_by=coordinator)  # the broker was down: never sent
    OpmlImport.objects.filter(pk=lost.pk).update(created_at=old)
    dead = OpmlImportFactory(created_by=coordinator, status="running")  # its worker died
    OpmlImport.objects.filter(pk=dead.pk).update(
        started_at=old, lease_expires_at=now - timedelta(seconds=1)
    )
    alive = OpmlImportFactory(created_by=coordinator, status="running")  # still working
    OpmlImport.objects.filter(pk=alive.pk).update(
        started_at=old, lease_expires_at=now + timedelta(seconds=30)
    )
    just_sent = OpmlImportFactory(created_by=coordinator)  # just queued: left alone
    OpmlImport.objects.filter(pk=just_sent.pk).update(enqueued_at=now)
    OpmlImportFactory(created_by=coordinator, status="done")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.opml_imports_requeue_stale() == 2
    assert sorted(sent) == sorted([lost.pk, dead.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.opml_imports_requeue_stale() == 0


@pytest.mark.django_db
def test_local_names_are_refused_when_the_file_is_imported(coordinator, settings):
    settings.VEILLE_FETCH_ALLOWLIST = []
    payload = _opml(
        [
            _outline(1, url="http://localhost/rss"),
            _outline(2, url="http://intranet.local/feed"),
            _outline(3),
        ]
    )
    job = opml.import_run(OpmlImportFactory(created_by=coordinator, payload=payload))

    assert (job.created_count, job.error_count) == (1, 2)
    assert {e["reason"] for e in job.errors} == {"Adresse interne refusée."}


@pytest.mark.django_db
def test_an_import_whose_worker_died_resumes_after_its_last_batch(coordinator, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from veille import services, tasks

    payload = _opml([_outline(i) for i in range(120)] + [_outline(999, url="ftp://x/feed")])
    job = OpmlImportFactory(created_by=coordinator, payload=payload)
    # A first worker claimed it, committed one batch of 50, then was killed.
    token = opml.import_claim(job.pk)
    assert token is not None
    first_batch = opml.read(payload)[: opml.BATCH]
    for outline in first_batch:
        Source.objects.create(name=outline.title, feed_url=outline.url, kind="media")
    OpmlImport.objects.filter(pk=job.pk).update(
        processed=opml.BATCH, created_count=opml.BATCH, total=121,
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )  # fmt: skip

    sent = []
    monkeypatch.setattr(tasks.import_opml, "apply_async", lambda args, **kw: sent.append(args[0]))
    assert services.opml_imports_requeue_stale() == 1
    tasks.import_opml.apply(args=[job.pk])

    job.refresh_from_db()
    assert sent == [job.pk]
    assert job.status == OpmlImport.Status.DONE
    assert (job.processed, job.created_count, job.existing_count, job.error_count) == (
        121, 120, 0, 1,
    )  # fmt: skip
    assert Source.objects.count() == 120  # every outline once
    # The dead worker coming back cannot write any more: its token is gone.
    assert not OpmlImport.objects.filter(pk=job.pk, claim_token=token).exists()
