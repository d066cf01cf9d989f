"""Redis (broker and cache) stopped while people work: every answer is a clear page (never
a 500), nothing typed or asked for is lost, and the work is done once Redis is back —
without restarting the web server or the worker."""

from __future__ import annotations

import time
import uuid

import pytest

from core.models import PdfJob, Role
from tests.processes import csrf
from tests.reliability.conftest import PASSWORD, make_user
from tests.waiting import wait_until

pytestmark = pytest.mark.reliability

QUEUE_DOWN = "La file de travail est momentanément indisponible"


def _follow(client, response):
    assert response.status_code == 302, (response.status_code, response.text[:300])
    page = client.get(response.headers["location"])
    assert page.status_code == 200, (page.status_code, page.text[:300])
    return page


def test_redis_down_during_a_testimony_submission_loses_nothing(stack):
    from temoignages.models import Testimony
    from tests.core.factories import site
    from tests.temoignages.helpers import (
        consent_data,
        context_data,
        jpeg_with_gps,
        narrative_data,
        profile_data,
        published_form,
    )

    make_user(Role.FIELD_COMMS, username="rel-field", site_codes=["calais"])
    form, _version = published_form(sites=[site("calais")])
    stack.start_web()
    stack.start_worker()
    client = stack.login("rel-field", PASSWORD)
    first = client.get("/temoignages/nouveau/")
    assert first.status_code == 200
    token = csrf(first)

    stack.redis.stop()
    assert client.get("/temoignages/").status_code == 200  # the officer's home
    client_uuid = uuid.uuid4()
    step = client.post(
        "/temoignages/nouveau/",
        data={
            **context_data(site("calais"), client_uuid=client_uuid, form=form),
            "csrfmiddlewaretoken": token,
        },
    )
    assert step.status_code == 302, step.text[:300]
    base = step.headers["location"].rsplit("/etape/", 1)[0]
    for number, data in ((2, narrative_data()), (3, profile_data()), (4, consent_data())):
        answer = client.post(f"{base}/etape/{number}/", data={**data, "csrfmiddlewaretoken": token})
        assert answer.status_code == 302, (number, answer.status_code, answer.text[:300])
    answer = client.post(
        f"{base}/etape/5/",
        data={"caption": "Le campement", "nav": "next", "csrfmiddlewaretoken": token},
        files={"file": ("IMG_2041.jpg", jpeg_with_gps(), "image/jpeg")},
    )
    assert answer.status_code == 302, answer.text[:300]
    done = client.post(f"{base}/etape/6/", data={"nav": "next", "csrfmiddlewaretoken": token})
    page = _follow(client, done)
    testimony = Testimony.objects.get(client_uuid=client_uuid)
    assert testimony.reference in page.text
    assert testimony.status == Testimony.Status.SUBMITTED
    assert testimony.narrative.startswith("On m'a dit")
    assert testimony.current_consent is not None
    assert testimony.media.count() == 1

    stack.redis.start()
    # A retry of the last step (a phone that lost the answer) changes nothing.
    again = client.post(f"{base}/etape/6/", data={"nav": "next", "csrfmiddlewaretoken": token})
    assert again.status_code == 302
    assert Testimony.objects.filter(client_uuid=client_uuid).count() == 1
    assert client.get(f"/temoignages/{testimony.pk}/").status_code == 200


def test_redis_down_during_a_pdf_request_the_pdf_is_made_when_it_is_back(stack):
    from tests.veille.factories import AnalysisNoteFactory

    coordinator = make_user(Role.COORDINATOR, username="rel-coord")
    note = AnalysisNoteFactory(author=coordinator, title="Note pendant la panne")
    stack.start_web()
    stack.start_worker()
    client = stack.login("rel-coord", PASSWORD)
    page = client.get(f"/veille/notes/{note.pk}/")
    assert page.status_code == 200

    stack.redis.stop()
    assert client.get("/tableau-de-bord/").status_code == 200
    answer = client.post(f"/veille/notes/{note.pk}/pdf/", data={"csrfmiddlewaretoken": csrf(page)})
    assert QUEUE_DOWN in _follow(client, answer).text
    job = PdfJob.objects.get(object_id=str(note.pk))
    assert (job.status, job.enqueued_at) == (PdfJob.Status.QUEUED, None)

    stack.redis.start()
    back_at = time.monotonic()

    def ready() -> bool:
        # The note page polls this panel while the PDF is under way.
        assert client.get(f"/documents/{job.pk}/etat/").status_code == 200
        job.refresh_from_db()
        return job.status == PdfJob.Status.READY

    wait_until(ready, timeout=90, what="PDF made once Redis is back", interval=0.5)
    assert PdfJob.objects.filter(object_id=str(note.pk)).count() == 1
    assert job.attempts == 1
    assert len(list((stack.private_root / "pdf").rglob("*.pdf"))) == 1
    print(f"PDF ready {time.monotonic() - back_at:.1f} s after Redis came back")


def test_redis_down_during_a_fetch_now_answers_clearly_and_fetches_once_back(stack):
    from tests.veille.factories import SourceFactory
    from tests.veille.feedserver import FeedServer, simple_feed
    from veille.models import Item, Source

    make_user(Role.COORDINATOR, username="rel-coord")
    feeds = FeedServer().start()
    try:
        source = SourceFactory(feed_url=feeds.add("/feed.xml", simple_feed(12)))
        stack.start_web()
        stack.start_worker()
        client = stack.login("rel-coord", PASSWORD)
        page = client.get(f"/veille/sources/{source.pk}/")
        assert page.status_code == 200
        token = csrf(page)

        stack.redis.stop()
        answer = client.post(
            f"/veille/sources/{source.pk}/recuperer/", data={"csrfmiddlewaretoken": token}
        )
        assert QUEUE_DOWN in _follow(client, answer).text
        source.refresh_from_db()
        assert (source.claim_token, source.claimed_until) == ("", None)  # not left locked
        assert feeds.hits.get("/feed.xml", 0) == 0

        stack.redis.start()
        back_at = time.monotonic()

        def asked() -> bool:
            # Right after Redis returns, the web process may still find the queue down:
            # the person tries again, as the message says.
            answer = client.post(
                f"/veille/sources/{source.pk}/recuperer/", data={"csrfmiddlewaretoken": token}
            )
            return "Récupération" in _follow(client, answer).text

        wait_until(asked, timeout=30, what="fetch now accepted once Redis is back", interval=1)
        wait_until(
            lambda: Source.objects.filter(pk=source.pk, last_success_at__isnull=False).exists(),
            timeout=60,
            what="source fetched",
        )
        assert Item.objects.filter(source=source).count() == 12
        assert feeds.hits["/feed.xml"] == 1
        print(f"fetched {time.monotonic() - back_at:.1f} s after Redis came back")
    finally:
        feeds.stop()
