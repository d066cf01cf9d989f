"""A Celery worker killed with SIGKILL in the middle of a job: once a new worker runs, the
job completes, exactly once.

- mid-fetch: the feed server holds its answer half-sent while the worker is killed; the
  dispatcher (sent as beat would) gives the source to the new worker once the lease ran
  out; every entry becomes one item.
- mid-PDF: the worker dies while rendering a long analysis note; the status panel that
  the note page polls finds the lease expired, queues it again, the new worker renders
  it: one job, one file.
- mid-OPML-import: the worker dies after some batches; the status page resumes it after
  the last committed batch: every outline becomes one source.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from core.models import PdfJob, Role
from tests.processes import csrf
from tests.reliability.conftest import LEASE_SECONDS, PASSWORD, make_user
from tests.waiting import wait_until

pytestmark = pytest.mark.reliability


# --- a feed that stalls on demand -------------------------------------------------------


class _GateHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        server: GatedFeedServer = self.server  # type: ignore[assignment]
        with server.lock:
            server.requests += 1
            first = server.requests == 1
        body = server.body
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            if first:
                # Half the feed, then wait: the fetch is under way when the worker dies.
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                server.first_request_started.set()
                server.release.wait(timeout=120)
                self.wfile.write(body[len(body) // 2 :])
            else:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class GatedFeedServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, body: bytes):
        super().__init__(("127.0.0.1", 0), _GateHandler)
        self.body = body
        self.requests = 0
        self.lock = threading.Lock()
        self.first_request_started = threading.Event()
        self.release = threading.Event()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str = "/feed.xml") -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def close(self) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()


def test_worker_killed_mid_fetch_the_source_is_fetched_once_by_the_next_worker(stack):
    from tests.veille.factories import SourceFactory
    from tests.veille.feedserver import simple_feed
    from veille.models import Item, Source

    entries = 40
    feed = GatedFeedServer(simple_feed(entries, prefix="Naufrage").encode())
    try:
        source = SourceFactory(
            feed_url=feed.url(), next_fetch_at=timezone.now() - timedelta(minutes=1)
        )
        stack.start_web()  # not needed by the fetch, but the stack is the real one
        worker = stack.start_worker()
        stack.send_task("veille.tasks.dispatch_due_sources")
        assert feed.first_request_started.wait(timeout=60), stack.logs()
        claimed = Source.objects.get(pk=source.pk)
        assert claimed.claim_token
        assert claimed.claimed_until <= timezone.now() + timedelta(seconds=LEASE_SECONDS + 1)

        stack.kill(worker)
        feed.release.set()
        killed_at = time.monotonic()
        assert not Item.objects.filter(source=source).exists()

        stack.start_worker()

        def fetched() -> bool:
            # Beat's dispatcher, every poll: a source still held by the dead worker's
            # lease is not claimed; once the lease ran out it is.
            stack.send_task("veille.tasks.dispatch_due_sources")
            return Source.objects.filter(pk=source.pk, last_success_at__isnull=False).exists()

        wait_until(fetched, timeout=60, what="source fetched by the new worker", interval=0.5)
        recovered = time.monotonic() - killed_at
        source.refresh_from_db()
        items = Item.objects.filter(source=source)
        assert items.count() == entries
        assert items.values("dedup_key").distinct().count() == entries
        assert (source.claim_token, source.claimed_until) == ("", None)
        assert source.last_new_count == entries
        assert feed.requests == 2
        print(f"mid-fetch: recovered {recovered:.1f} s after the kill")
    finally:
        feed.close()


def test_worker_killed_mid_pdf_the_note_gets_one_pdf(stack):
    from tests.veille.factories import AnalysisNoteFactory

    coordinator = make_user(Role.COORDINATOR, username="rel-coord")
    paragraph = (
        "Les arrivées à Lampedusa augmentent ; les autorités libyennes ont suspendu "
        "plusieurs programmes. " * 6
    )
    body = "\n\n".join(f"## Partie {n}\n\n{paragraph}" for n in range(400))
    note = AnalysisNoteFactory(author=coordinator, title="Note très longue", body=body)
    stack.start_web()
    worker = stack.start_worker()
    client = stack.login("rel-coord", PASSWORD)
    page = client.get(f"/veille/notes/{note.pk}/")
    assert page.status_code == 200
    answer = client.post(f"/veille/notes/{note.pk}/pdf/", data={"csrfmiddlewaretoken": csrf(page)})
    assert answer.status_code == 302

    job = wait_until(
        lambda: PdfJob.objects.filter(object_id=str(note.pk), status="rendering").first(),
        timeout=60,
        what="the worker renders the PDF",
        interval=0.02,
    )
    stack.kill(worker)
    killed_at = time.monotonic()
    job.refresh_from_db()
    assert job.status == PdfJob.Status.RENDERING, "the render finished before the kill"
    assert job.attempts == 1

    stack.start_worker()

    def ready() -> bool:
        # The note page polls this panel every 2 s while the PDF is under way.
        panel = client.get(f"/documents/{job.pk}/etat/")
        assert panel.status_code == 200
        job.refresh_from_db()
        return job.status == PdfJob.Status.READY

    wait_until(ready, timeout=90, what="PDF ready after the restart", interval=0.5)
    recovered = time.monotonic() - killed_at
    assert PdfJob.objects.filter(object_id=str(note.pk)).count() == 1
    assert job.attempts == 2
    files = list((stack.private_root / "pdf").rglob("*.pdf"))
    assert len(files) == 1
    download = client.get(f"/documents/{job.pk}/telecharger/")
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")
    print(f"mid-PDF: recovered {recovered:.1f} s after the kill")


def _opml(count: int) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0"><body>']
    lines += [
        f'<outline type="rss" text="Flux {n:05d}" '
        f'xmlUrl="https://feeds{n:05d}.example.org/rss.xml"/>'
        for n in range(count)
    ]
    lines.append("</body></opml>")
    return "\n".join(lines).encode()


def test_worker_killed_mid_opml_import_every_outline_is_imported_once(stack):
    from veille.models import OpmlImport, Source

    outlines = 12000
    make_user(Role.COORDINATOR, username="rel-coord")
    stack.start_web()
    worker = stack.start_worker()
    client = stack.login("rel-coord", PASSWORD)
    page = client.get("/veille/sources/import/")
    assert page.status_code == 200
    answer = client.post(
        "/veille/sources/import/",
        data={"csrfmiddlewaretoken": csrf(page), "default_kind": "media"},
        files={"file": ("abonnements.opml", _opml(outlines), "text/x-opml")},
    )
    assert answer.status_code == 302, answer.text[:500]

    job = wait_until(
        lambda: OpmlImport.objects.filter(status="running", processed__gt=0).first(),
        timeout=60,
        what="the import is under way",
        interval=0.01,
    )
    stack.kill(worker)
    killed_at = time.monotonic()
    job.refresh_from_db()
    assert job.status == OpmlImport.Status.RUNNING, "the import finished before the kill"
    done_before = job.processed
    assert 0 < done_before < outlines
    assert Source.objects.count() == done_before

    stack.start_worker()

    def done() -> bool:
        # The status page polls itself every 2 s while the import runs.
        assert client.get(f"/veille/sources/import/{job.pk}/").status_code == 200
        job.refresh_from_db()
        return job.status == OpmlImport.Status.DONE

    wait_until(done, timeout=90, what="import finished after the restart", interval=0.5)
    recovered = time.monotonic() - killed_at
    assert (job.total, job.processed, job.created_count) == (outlines, outlines, outlines)
    assert (job.error_count, job.existing_count) == (0, 0)
    assert Source.objects.count() == outlines
    assert Source.objects.values("feed_url").distinct().count() == outlines
    print(f"mid-OPML: killed after {done_before}/{outlines}, recovered {recovered:.1f} s later")
