"""Briefing pages: who may open each URL (and who gets a 404), the list and its query
count, the form (month or custom range, sections), the preview."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from core.extensions import registry
from core.models import AuditEvent, PdfJob
from core.pdf import RenderedPdf
from core.pdf_jobs import pdf_job_run_now
from influence.models import Briefing, BriefingSubscription
from influence.selectors.briefings import BRIEFING_PDF
from tests.influence.briefing_data import ITEM_TITLE, briefing, last_month, month_content

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "advocacy_fr", "communication", "viewer", "field_calais", "anonymous"]


@pytest.fixture
def as_role(request, client):
    def login(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return login


# These tests are about who may open what: WeasyPrint renders the edition once for the
# module (2 seconds), later editions reuse its bytes. tests/influence/test_briefing_pdf.py
# checks what a rendered briefing holds.
_RENDERED: list[RenderedPdf] = []


@pytest.fixture
def render_once(monkeypatch):
    document = registry.pdf_document(BRIEFING_PDF)

    def render(job):
        if not _RENDERED:
            _RENDERED.append(document.render(job))
        return _RENDERED[0]

    monkeypatch.setitem(
        registry.pdf_documents, BRIEFING_PDF, dataclasses.replace(document, render=render)
    )


@pytest.fixture
def editions(coordinator, render_once):
    internal = briefing()
    partners = briefing(audience="partners")
    job = pdf_job_run_now(kind=BRIEFING_PDF, object_id=internal.pk, user=coordinator)
    assert job.status == PdfJob.Status.READY
    return {"internal": internal, "partners": partners, "job": job}


def _expect(role, allowed, *, denied=403):
    if role == "anonymous":
        return 302
    return 200 if role in allowed else denied


READERS = {"coordinator", "advocacy_fr", "communication", "viewer"}
INTERNAL_READERS = {"coordinator", "advocacy_fr", "communication"}
MANAGERS = {"coordinator"}


@pytest.mark.parametrize("role", ROLES)
def test_every_briefing_url_answers_each_role_as_its_permission_says(role, as_role, editions):
    internal, partners, job = editions["internal"], editions["partners"], editions["job"]
    client = as_role(role)

    def status(url):
        return client.get(url).status_code

    assert status(reverse("influence:briefings")) == _expect(role, READERS)
    # An internal edition is out of a viewer's scope: 404, its existence not revealed.
    detail = reverse("influence:briefing_detail", args=[internal.pk])
    expected = _expect(role, INTERNAL_READERS, denied=404 if role == "viewer" else 403)
    assert status(detail) == expected
    assert status(reverse("influence:briefing_detail", args=[partners.pk])) == _expect(
        role, READERS
    )
    for name in ("briefing_edit", "briefing_preview", "briefing_delete"):
        assert status(reverse(f"influence:{name}", args=[partners.pk])) == _expect(role, MANAGERS)
    assert status(reverse("influence:briefing_create")) == _expect(role, MANAGERS)
    # The audited download and the status panel are core's: out of scope is a 404.
    download = reverse("core:pdf_job_download", args=[job.pk])
    if role == "anonymous":
        assert status(download) == 302
    else:
        assert status(download) == (200 if role in INTERNAL_READERS else 404)


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_generate_edit_or_delete(role, as_role, editions, monkeypatch):
    from core.tasks import render_pdf_job

    monkeypatch.setattr(render_pdf_job, "apply_async", lambda *a, **k: None)
    partners = editions["partners"]
    client = as_role(role)
    generate = client.post(reverse("influence:briefing_generate", args=[partners.pk]))
    expected = {"coordinator": 302, "anonymous": 302}.get(role, 403)
    assert generate.status_code == expected
    delete = client.post(reverse("influence:briefing_delete", args=[partners.pk]))
    assert delete.status_code == expected
    assert Briefing.objects.filter(pk=partners.pk).exists() == (role != "coordinator")
    subscribe = client.post(reverse("influence:briefing_subscription"), {"subscribed": "1"})
    assert subscribe.status_code == (302 if role in READERS | {"anonymous"} else 403)


def test_a_viewer_asking_for_an_internal_briefing_is_audited(client_for, viewer, editions):
    client_for(viewer).get(reverse("influence:briefing_detail", args=[editions["internal"].pk]))
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.PERMISSION_DENIED, object_type="influence.briefing"
    ).exists()


def test_the_download_is_audited(client_for, coordinator, editions):
    response = client_for(coordinator).get(
        reverse("core:pdf_job_download", args=[editions["job"].pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert "briefing-" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.DOWNLOAD, object_type="influence.briefing"
    ).exists()


def test_the_list_shows_state_reason_retry_pages_size_and_who(client_for, coordinator, editions):
    failed = briefing(language="en")
    PdfJob.objects.create(
        kind=BRIEFING_PDF,
        object_id=str(failed.pk),
        status=PdfJob.Status.FAILED,
        error="La section « Veille : faits marquants » n'a pas pu être construite.",
    )
    page = client_for(coordinator).get(reverse("influence:briefings")).content.decode()

    job = editions["job"]
    assert "Prêt" in page
    assert "Échec" in page
    assert "Veille : faits marquants" in page  # the reason
    assert "Réessayer" in page
    assert f">{job.page_count}<" in page
    assert reverse("core:pdf_job_download", args=[job.pk]) in page
    assert str(coordinator) in page  # generated by
    assert "Pas encore généré" in page  # the partners edition


def test_the_list_runs_a_constant_number_of_queries(
    client_for, coordinator, django_assert_max_num_queries
):
    client = client_for(coordinator)
    start, end = last_month()
    for language in ("fr", "en"):
        job_briefing = briefing(language=language)
        PdfJob.objects.create(kind=BRIEFING_PDF, object_id=str(job_briefing.pk))
    client.get(reverse("influence:briefings"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("influence:briefings"))
    for index in range(8):
        more = Briefing.objects.create(
            period_start=start.replace(year=start.year - 1 - index),
            period_end=end.replace(year=end.year - 1 - index),
        )
        PdfJob.objects.create(kind=BRIEFING_PDF, object_id=str(more.pk), requested_by=coordinator)
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("influence:briefings"))


def test_a_coordinator_creates_an_edition_for_a_month_with_sections_switched_off(
    client_for, coordinator
):
    start, end = last_month()
    response = client_for(coordinator).post(
        reverse("influence:briefing_create"),
        {
            "period_kind": "month",
            "month": start.strftime("%Y-%m"),
            "audience": "partners",
            "language": "en",
            "introduction": "Un mois **chargé**.",
            "sections": ["veille.highlights", "temoignages.extracts"],
        },
    )
    edition = Briefing.objects.get()
    assert response.status_code == 302
    assert (edition.period_start, edition.period_end) == (start, end)
    assert (edition.audience, edition.language) == ("partners", "en")
    assert "influence.calendar" in edition.disabled_sections
    assert "veille.highlights" not in edition.disabled_sections
    assert edition.created_by == coordinator


def test_a_custom_range_and_a_duplicate_are_handled_in_the_form(client_for, coordinator):
    client = client_for(coordinator)
    data = {
        "period_kind": "range",
        "period_start": "2026-03-10",
        "period_end": "2026-03-05",
        "audience": "internal",
        "language": "fr",
        "introduction": "Texte gardé",
    }
    wrong = client.post(reverse("influence:briefing_create"), data)
    assert wrong.status_code == 400
    assert "La fin de la période précède son début." in wrong.content.decode()
    assert "Texte gardé" in wrong.content.decode()  # nothing typed is lost

    data["period_end"] = "2026-03-20"
    assert client.post(reverse("influence:briefing_create"), data).status_code == 302
    again = client.post(reverse("influence:briefing_create"), data)
    assert again.status_code == 400
    assert "existe déjà" in again.content.decode()
    assert Briefing.objects.count() == 1


def test_the_preview_is_the_same_document_in_the_browser(client_for, coordinator):
    month_content(coordinator)
    edition = briefing(introduction="Le mot de la coordination.")
    page = client_for(coordinator).get(reverse("influence:briefing_preview", args=[edition.pk]))
    html = page.content.decode()

    assert page.status_code == 200
    for words in ("Sommaire", "Chiffres clés", "Veille : faits marquants", ITEM_TITLE):
        assert words in html
    assert "Le mot de la coordination." in html
    assert "Interne — ne pas diffuser" in html
    from temoignages.models import TestimonyUse

    assert not TestimonyUse.objects.exists()  # a preview records nothing


def test_the_list_polls_itself_while_a_render_is_under_way(client_for, coordinator):
    edition = briefing()
    PdfJob.objects.create(kind=BRIEFING_PDF, object_id=str(edition.pk))
    client = client_for(coordinator)
    page = client.get(reverse("influence:briefings")).content.decode()
    assert 'hx-trigger="every 2s"' in page
    partial = client.get(
        reverse("influence:briefings"), headers={"HX-Request": "true", "HX-Target": "briefing-rows"}
    ).content.decode()
    assert 'id="briefing-rows"' in partial
    assert "<html" not in partial


def test_subscribing_and_unsubscribing(client_for, viewer):
    client = client_for(viewer)
    client.post(reverse("influence:briefing_subscription"), {"subscribed": "1"})
    assert BriefingSubscription.objects.filter(user=viewer).exists()
    client.post(reverse("influence:briefing_subscription"), {"subscribed": "0"})
    assert not BriefingSubscription.objects.filter(user=viewer).exists()
