"""Every veille page, for every role: who reads, who triages, who writes, who gets
a 403 (no veille at all) or a 404 (somebody else's rule, a draft note)."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from tests.veille.factories import AlertFactory, AnalysisNoteFactory, WatchRuleFactory
from tests.veille.helpers import make_story
from veille.models import AnalysisNote
from veille.services import note_create

pytestmark = pytest.mark.django_db

READERS = ["coordinator", "advocacy_fr", "advocacy_ly", "communication", "viewer"]
TRIAGERS = {"coordinator", "advocacy_fr", "advocacy_ly"}
FIELD = ["field_calais", "field_marseille"]


@pytest.fixture
def world(coordinator):
    _cluster, items = make_story(size=2)
    note = note_create(author=coordinator, title="Note publiée", body="Texte")
    AnalysisNote.objects.filter(pk=note.pk).update(status=AnalysisNote.Status.PUBLISHED)
    return {"item": items[0], "note": note, "pdf": _pdf_job(note, coordinator)}


def _pdf_job(note, user):
    from core.pdf_jobs import pdf_job_request
    from veille.services import NOTE_PDF

    return pdf_job_request(kind=NOTE_PDF, object_id=note.pk, user=user)


def _read_pages(world):
    item, note = world["item"], world["note"]
    return [
        reverse("veille:inbox"),
        reverse("veille:item_detail", args=[item.pk]),
        reverse("veille:story", args=[item.pk]),
        reverse("veille:export"),
        reverse("veille:alerts"),
        reverse("veille:rules"),
        reverse("veille:rule_create"),
        reverse("veille:notes"),
        reverse("veille:note_detail", args=[note.pk]),
        reverse("veille:note_history", args=[note.pk]),
        reverse("veille:note_version", args=[note.pk, 1]),
    ]


def _triage_pages(world):
    return [reverse("veille:tag_menu", args=[world["item"].pk]) + "?kind=theme"]


def _writer_pages():
    return [reverse("veille:note_create")]


@pytest.mark.parametrize("who", READERS + FIELD)
def test_every_veille_page_by_role(request, client_for, world, who):
    client = client_for(request.getfixturevalue(who))
    field = who in FIELD

    for url in _read_pages(world):
        assert client.get(url).status_code == (403 if field else 200), url
    for url in _triage_pages(world):
        expected = 200 if who in TRIAGERS else 403
        assert client.get(url).status_code == expected, url
    for url in _writer_pages():
        expected = 200 if who in TRIAGERS else 403
        assert client.get(url).status_code == expected, url
    # The note's PDF panel is core's generic page: out of scope is a 404, as for the note.
    status = reverse("core:pdf_job_status", args=[world["pdf"].pk])
    assert client.get(status).status_code == (404 if field else 200), status


@pytest.mark.parametrize("who", READERS + FIELD)
def test_writes_by_role(request, client_for, world, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    item = world["item"]
    can_triage = who in TRIAGERS

    response = client.post(reverse("veille:triage", args=[item.pk]), {"status": "relevant"})
    assert response.status_code == (302 if can_triage else 403)
    response = client.post(reverse("veille:annotation_add", args=[item.pk]), {"body": "Vu."})
    assert response.status_code == (302 if can_triage else 403)
    response = client.post(reverse("veille:note_pdf", args=[world["note"].pk]))
    assert response.status_code == (403 if who in FIELD else 302)


def test_somebody_else_s_objects_are_404(client_for, advocacy_fr, advocacy_ly, coordinator):
    rule = WatchRuleFactory(owner=advocacy_ly)
    AlertFactory(rule=rule)
    draft = AnalysisNoteFactory(author=advocacy_ly, title="Note privée de Sara")
    job = _pdf_job(draft, advocacy_ly)
    client = client_for(advocacy_fr)

    for url in (
        reverse("veille:rule_edit", args=[rule.pk]),
        reverse("veille:rule_delete", args=[rule.pk]),
        reverse("veille:note_detail", args=[draft.pk]),
        reverse("veille:note_history", args=[draft.pk]),
        reverse("core:pdf_job_status", args=[job.pk]),
        reverse("core:pdf_job_download", args=[job.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert "Note privée de Sara" not in client.get(reverse("veille:notes")).content.decode()
    # The coordinator reads every note, but never somebody else's rules.
    coord = client_for(coordinator)
    assert coord.get(reverse("veille:note_detail", args=[draft.pk])).status_code == 200
    assert coord.get(reverse("veille:rule_edit", args=[rule.pk])).status_code == 404


def test_annotations_are_deleted_by_their_author_only(client_for, advocacy_fr, advocacy_ly, world):
    item = world["item"]
    client_for(advocacy_ly).post(
        reverse("veille:annotation_add", args=[item.pk]), {"body": "À moi."}
    )
    annotation = item.annotations.get()
    item.refresh_from_db()
    assert item.annotation_count == 1

    other = client_for(advocacy_fr)
    assert other.post(reverse("veille:annotation_delete", args=[annotation.pk])).status_code == 404
    refusal = AuditEvent.objects.get(action=AuditEvent.Action.PERMISSION_DENIED)
    assert (refusal.actor, refusal.object_type) == (advocacy_fr, "veille.annotation")
    assert refusal.object_id == str(annotation.pk)
    page = other.get(reverse("veille:item_detail", args=[item.pk])).content.decode()
    assert "À moi." in page
    assert reverse("veille:annotation_delete", args=[annotation.pk]) not in page

    author = client_for(advocacy_ly)
    author.post(reverse("veille:annotation_delete", args=[annotation.pk]))
    item.refresh_from_db()
    assert item.annotation_count == 0


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for url in _read_pages(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("core:login"))
