"""Analysis notes: Markdown rendered safely, citations, versions, review and publication,
visibility per role, and the PDF rendered by a real worker and downloaded (audited)."""

import pytest
from django.conf import settings
from django.urls import reverse

from core.files import private_path
from core.models import AuditEvent
from core.pdf_jobs import pdf_job_latest
from core.tasks import render_pdf_job
from tests.core.factories import theme
from tests.veille.factories import AnalysisNoteFactory, ItemFactory
from tests.veille.helpers import count_queries
from tests.waiting import wait_until
from veille.markdown import render_note_markdown
from veille.models import AnalysisNote, NoteVersion
from veille.services import NOTE_PDF, note_create, note_pdf_request

pytestmark = pytest.mark.django_db

Status = AnalysisNote.Status


def test_markdown_is_rendered_without_any_way_to_run_script():
    html = str(
        render_note_markdown(
            "## Contexte\n\n<script>alert(1)</script> <img src=x onerror=alert(1)>\n\n"
            "[lien](javascript:alert(1)) [ok](https://example.org) **gras**\n\n"
            "| a | b |\n|---|---|\n| 1 | 2 |"
        )
    )

    assert "<h2>Contexte</h2>" in html
    assert "<script" not in html
    assert "<img" not in html
    assert "javascript:" not in html.replace("[lien](javascript:alert(1))", "")
    assert 'href="javascript' not in html
    assert '<a href="https://example.org" rel="noopener noreferrer">ok</a>' in html
    assert "<strong>gras</strong>" in html
    assert "<table>" in html


def test_citation_references_become_numbered_links():
    first, second = ItemFactory(), ItemFactory()

    html = str(
        render_note_markdown(
            f"Voir [@{second.pk}] et [@{first.pk}], [@999999].", citations=[first, second]
        )
    )

    assert (
        f'<a href="#cite-{second.pk}" class="cite-ref-link" rel="noopener noreferrer">[2]</a>'
        in html
    )
    assert f'href="#cite-{first.pk}"' in html
    assert "[1]" in html
    assert "[@999999]" in html


@pytest.mark.smoke
def test_writing_a_note_creates_version_1_and_editing_adds_versions(client_for, advocacy_fr):
    item = ItemFactory(title="Rapport du Défenseur des droits")
    client = client_for(advocacy_fr)

    response = client.post(
        reverse("veille:note_create") + f"?citer={item.pk}",
        {
            "title": "Mineurs non accompagnés à Paris",
            "audience": "internal",
            "body": f"## Constat\n\nLe rapport [@{item.pk}] confirme la tendance.",
            "themes": [theme("mineurs-age").pk],
            "citer": item.pk,
        },
    )

    note = AnalysisNote.objects.get()
    assert response["Location"] == reverse("veille:note_detail", args=[note.pk])
    assert list(note.cited_items.all()) == [item]
    page = client.get(response["Location"]).content.decode()
    assert 'class="cite-ref-link"' in page
    assert "[1]" in page
    assert "Rapport du Défenseur des droits" in page

    client.post(
        reverse("veille:note_edit", args=[note.pk]),
        {"title": "Mineurs non accompagnés", "audience": "partners", "body": "Nouveau texte."},
    )
    client.post(  # nothing changed: no new version
        reverse("veille:note_edit", args=[note.pk]),
        {"title": "Mineurs non accompagnés", "audience": "partners", "body": "Nouveau texte."},
    )
    versions = list(NoteVersion.objects.filter(note=note).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].author == advocacy_fr
    assert versions[0].cited_item_ids == [item.pk]

    history = client.get(reverse("veille:note_history", args=[note.pk])).content.decode()
    assert "version 2" in history
    version = client.get(reverse("veille:note_version", args=[note.pk, 2])).content.decode()
    assert "diff-add" in version
    assert "Nouveau texte." in version


def test_preview_does_not_save(client_for, coordinator):
    note = AnalysisNoteFactory(author=coordinator, body="Ancien")

    response = client_for(coordinator).post(
        reverse("veille:note_edit", args=[note.pk]),
        {"title": note.title, "audience": "internal", "body": "**Nouveau**", "preview": "1"},
    )

    assert "<strong>Nouveau</strong>" in response.content.decode()
    note.refresh_from_db()
    assert note.body == "Ancien"


def test_form_errors_keep_what_was_typed(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("veille:note_create"), {"title": "", "audience": "internal", "body": "Mon texte"}
    )
    assert response.status_code == 200
    assert "Mon texte" in response.content.decode()
    assert not AnalysisNote.objects.exists()


def test_review_and_publication_workflow(client_for, advocacy_fr, coordinator):
    note = note_create(author=advocacy_fr, title="Note", body="Texte")
    author, coord = client_for(advocacy_fr), None

    author.post(reverse("veille:note_status", args=[note.pk]), {"status": "published"})
    note.refresh_from_db()
    assert note.status == Status.DRAFT  # publishing is for coordinators

    author.post(reverse("veille:note_status", args=[note.pk]), {"status": "review"})
    note.refresh_from_db()
    assert note.status == Status.REVIEW

    author.logout()
    coord = client_for(coordinator)
    coord.post(reverse("veille:note_status", args=[note.pk]), {"status": "published"})
    note.refresh_from_db()
    assert note.status == Status.PUBLISHED
    assert note.published_at is not None
    assert [v.status for v in note.versions.order_by("number")] == ["draft", "review", "published"]
    assert AuditEvent.objects.filter(
        action="change", object_type="veille.analysisnote", detail__status="published"
    ).exists()


def test_who_sees_and_edits_which_note(client_for, advocacy_fr, advocacy_ly, coordinator, viewer):
    draft = note_create(author=advocacy_fr, title="Brouillon de Yanis")
    review = AnalysisNoteFactory(
        author=coordinator, status=Status.REVIEW, title="Analyse soumise à relecture"
    )
    published = AnalysisNoteFactory(
        author=coordinator, status=Status.PUBLISHED, title="Analyse déjà diffusée"
    )

    def visible(user):
        html = client_for(user).get(reverse("veille:notes")).content.decode()
        return {n.title for n in (draft, review, published) if n.title in html}

    assert visible(advocacy_fr) == {draft.title, review.title, published.title}
    assert visible(advocacy_ly) == {review.title, published.title}
    assert visible(viewer) == {published.title}
    assert visible(coordinator) == {draft.title, review.title, published.title}

    assert client_for(viewer).get(reverse("veille:note_detail", args=[draft.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="permission_denied", object_id=str(draft.pk)).exists()
    assert client_for(viewer).get(reverse("veille:note_create")).status_code == 403
    # Another officer may read a note in review but not edit it.
    assert (
        client_for(advocacy_ly).get(reverse("veille:note_edit", args=[review.pk])).status_code
        == 403
    )
    # The author may not edit a published note; coordinators may.
    mine = AnalysisNoteFactory(author=advocacy_fr, status=Status.PUBLISHED)
    assert (
        client_for(advocacy_fr).get(reverse("veille:note_edit", args=[mine.pk])).status_code == 403
    )
    assert (
        client_for(coordinator).get(reverse("veille:note_edit", args=[mine.pk])).status_code == 200
    )


def test_citing_from_the_note_and_from_the_article(client_for, coordinator):
    note = note_create(author=coordinator, title="Note")
    item = ItemFactory(title="Frontex publie un rapport", language="fr")
    client = client_for(coordinator)

    found = client.get(reverse("veille:note_citations", args=[note.pk]), {"q": "Frontex"})
    assert "<mark>Frontex</mark>" in found.content.decode()
    client.post(reverse("veille:note_citations", args=[note.pk]), {"item": item.pk})
    assert list(note.cited_items.all()) == [item]
    client.post(
        reverse("veille:note_citations", args=[note.pk]), {"item": item.pk, "action": "remove"}
    )
    assert not note.cited_items.exists()

    client.post(reverse("veille:item_cite", args=[item.pk]), {"note": note.pk})
    assert list(note.cited_items.all()) == [item]
    article = client.get(reverse("veille:item_detail", args=[item.pk])).content.decode()
    assert reverse("veille:note_detail", args=[note.pk]) in article


def test_deleting_a_note_asks_first(client_for, coordinator):
    note = note_create(author=coordinator, title="À supprimer")
    client = client_for(coordinator)

    assert (
        "Supprimer définitivement cette note ?"
        in client.get(reverse("veille:note_delete", args=[note.pk])).content.decode()
    )
    client.post(reverse("veille:note_delete", args=[note.pk]))
    assert not AnalysisNote.objects.exists()


def test_notes_list_runs_a_constant_number_of_queries(
    client_for, coordinator, django_assert_num_queries
):
    for _ in range(3):
        AnalysisNoteFactory(author=coordinator)
    client = client_for(coordinator)
    client.get(reverse("veille:notes"))
    queries = count_queries(client, reverse("veille:notes"))
    for _ in range(20):
        AnalysisNoteFactory(author=coordinator)
    with django_assert_num_queries(len(queries)):
        client.get(reverse("veille:notes"))


# --- PDF -------------------------------------------------------------------------------


def _note_job(note):
    return pdf_job_latest(kind=NOTE_PDF, object_id=note.pk)


def test_pdf_render_writes_a_private_file(
    coordinator, tmp_path, django_capture_on_commit_callbacks
):
    item = ItemFactory(title="غرق قارب قبالة زوارة", language="ar")
    note = note_create(
        author=coordinator,
        title="Interceptions en Méditerranée centrale",
        body=f"## Constat\n\nSelon [@{item.pk}], les interceptions augmentent.",
        cited_items=[item],
    )
    with django_capture_on_commit_callbacks(execute=False):
        job = note_pdf_request(note=note, user=coordinator)

    assert render_pdf_job.apply(args=[job.pk]).get() == "ready"
    assert render_pdf_job.apply(args=[job.pk]).get() == "skipped"  # a second delivery

    job.refresh_from_db()
    assert private_path(job.file_name).read_bytes().startswith(b"%PDF")
    assert private_path(job.file_name).is_relative_to(tmp_path)
    assert job.status == "ready"


def test_a_failed_render_says_why_and_offers_a_retry(
    client_for, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    note = note_create(author=coordinator, title="Note")
    with django_capture_on_commit_callbacks(execute=False):
        job = note_pdf_request(note=note, user=coordinator)

    def broken(**kwargs):
        raise ValueError("layout")

    monkeypatch.setattr("core.pdf.render_pdf", broken)
    assert render_pdf_job.apply(args=[job.pk]).get() == "failed"

    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "ValueError")
    panel = client_for(coordinator).get(reverse("core:pdf_job_status", args=[job.pk]))
    html = panel.content.decode()
    assert "La mise en page a échoué" in html
    assert "Réessayer" in html
    assert "every 2s" not in html
    detail = client_for(coordinator).get(reverse("veille:note_detail", args=[note.pk]))
    assert "Réessayer" in detail.content.decode()


def test_requesting_twice_queues_once(coordinator, django_capture_on_commit_callbacks):
    note = note_create(author=coordinator, title="Note")
    with django_capture_on_commit_callbacks() as callbacks:
        first = note_pdf_request(note=note, user=coordinator)
        second = note_pdf_request(note=note, user=coordinator)
    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert _note_job(note).status == "queued"


def consume_pdf_queue(worker) -> None:
    """The test worker listens to the default queue; PDF renders go to the `pdf` queue."""
    from config.celery import app

    replies = app.control.add_consumer(
        settings.TEST_CELERY_QUEUES[1], reply=True, destination=[worker.hostname]
    )
    assert replies, "the test worker did not answer"


def test_render_tasks_are_routed_to_the_pdf_queue():
    from config.celery import app

    route = app.amqp.router.route({}, render_pdf_job.name)
    assert route["queue"].name == settings.TEST_CELERY_QUEUES[1]  # "pdf" in production


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_note_to_pdf_through_a_real_worker_then_audited_download(
    celery_worker, client_for, coordinator, viewer
):
    consume_pdf_queue(celery_worker)
    note = note_create(author=coordinator, title="Note sur les évacuations", body="Texte.")
    client = client_for(coordinator)

    response = client.post(reverse("veille:note_pdf", args=[note.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in response.content.decode()

    wait_until(
        lambda: _note_job(note).status in ("ready", "failed"), timeout=60, what="the PDF rendered"
    )
    job = _note_job(note)
    assert job.status == "ready", job.error
    panel = client.get(reverse("core:pdf_job_status", args=[job.pk])).content.decode()
    assert "Télécharger le PDF" in panel
    assert "every 2s" not in panel

    download = client.get(reverse("core:pdf_job_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action="download", object_type="veille.analysisnote", object_id=str(note.pk)
    ).exists()

    # A draft is not the viewer's to download.
    client.logout()
    other = client_for(viewer)
    assert other.get(reverse("core:pdf_job_download", args=[job.pk])).status_code == 404


def test_the_article_page_lists_what_cites_it_through_the_registry(client_for, coordinator, viewer):
    from core.extensions import Citation, registry
    from veille.models import Item

    item = ItemFactory(title="Naufrage au large de Zuwara")
    note = note_create(author=coordinator, title="Note brouillon", cited_items=[item])

    def stand_in(obj, user):  # another app (an advocacy action) citing the article
        return [Citation(kind="Action de plaidoyer", title="Lettre au ministre", url="/x/")]

    registry.add_citation_provider(Item, stand_in)
    try:
        html = client_for(coordinator).get(reverse("veille:item_detail", args=[item.pk]))
        html = html.content.decode()
        assert note.title in html
        assert "Lettre au ministre" in html
        # A draft note is its author's: the viewer does not see it cited.
        assert (
            note.title
            not in client_for(viewer)
            .get(reverse("veille:item_detail", args=[item.pk]))
            .content.decode()
        )
    finally:
        registry.citation_providers[Item].remove(stand_in)
