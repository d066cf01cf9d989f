"""The generic PDF job: one lifecycle for every generated document."""

from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from core import pdf_jobs
from core.extensions import PdfDocument, registry
from core.files import private_exists
from core.models import AuditEvent, PdfJob
from core.pdf import render_html_pdf
from core.tasks import render_pdf_job
from tests.waiting import wait_until

KIND = "tests.probe"
RENDERS = []


def _render(job):
    RENDERS.append(job.pk)
    if job.params.get("explode"):
        raise pdf_jobs.PdfRenderError("La section « Veille » a échoué.")
    if job.params.get("crash"):
        raise RuntimeError("boom")
    return render_html_pdf(f'<html lang="fr"><title>Probe</title><p>Document {job.object_id}</p>')


def _target(user, job):
    # A document only its requester may see.
    return job if job.requested_by_id == user.pk else None


@pytest.fixture(autouse=True)
def probe_kind():
    RENDERS.clear()
    registry.pdf_documents[KIND] = PdfDocument(
        kind=KIND,
        render=_render,
        target=_target,
        filename=lambda job: f"probe-{job.object_id}.pdf",
        request_url=lambda job: "/probe/",
    )
    yield
    registry.pdf_documents.pop(KIND)


def request(user, object_id=1, **params):
    return pdf_jobs.pdf_job_request(kind=KIND, object_id=object_id, user=user, params=params)


@pytest.mark.django_db
def test_a_message_delivered_twice_renders_once(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = request(coordinator)

    assert render_pdf_job.apply(args=(job.pk,)).get() == PdfJob.Status.READY
    assert render_pdf_job.apply(args=(job.pk,)).get() == "skipped"

    job.refresh_from_db()
    assert [job.pk] == RENDERS
    assert job.status == PdfJob.Status.READY
    assert job.page_count == 1
    assert job.size_bytes > 1000
    assert private_exists(job.file_name)


@pytest.mark.django_db
def test_asking_again_while_a_job_runs_reuses_it(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = request(coordinator)
        again = request(coordinator)
        other_language = request(coordinator, lang="en")

    assert again.pk == first.pk
    assert other_language.pk != first.pk


@pytest.mark.django_db
def test_broker_down_keeps_the_job_queued_and_the_sweeper_sends_it_later(
    coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(render_pdf_job, "apply_async", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        job = request(coordinator)

    assert job.status == PdfJob.Status.QUEUED
    assert job.enqueued_at is None  # the page says the queue is unavailable, nothing lost
    assert not pdf_jobs.pdf_job_is_stuck(job)  # not yet: a commit may be under way
    assert pdf_jobs.pdf_job_is_stuck(job, now=timezone.now() + timedelta(seconds=6))

    sent = []
    monkeypatch.setattr(render_pdf_job, "apply_async", lambda args, **kw: sent.append(args))
    assert pdf_jobs.pdf_jobs_sweep()["resent"] == 1
    assert sent == [(job.pk,)]
    job.refresh_from_db()
    assert job.enqueued_at is not None


@pytest.mark.django_db
def test_a_dead_workers_job_is_reclaimed_after_its_lease(
    coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = request(coordinator)
    assert pdf_jobs.pdf_job_claim(job_id=job.pk) == 1  # a worker took it, then was killed
    # Redelivered while the lease still runs: nobody else may render it.
    assert render_pdf_job.apply(args=(job.pk,)).get() == "skipped"

    PdfJob.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    sent = []
    monkeypatch.setattr(render_pdf_job, "apply_async", lambda args, **kw: sent.append(args))
    counts = pdf_jobs.pdf_jobs_sweep()

    assert counts["reclaimed"] == 1
    assert counts["resent"] == 1
    assert render_pdf_job.apply(args=(job.pk,)).get() == PdfJob.Status.READY
    job.refresh_from_db()
    assert job.attempts == 2


@pytest.mark.django_db
def test_a_job_whose_workers_keep_dying_fails_for_good(
    coordinator, settings, django_capture_on_commit_callbacks
):
    settings.PDF_JOB_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=False):
        job = request(coordinator)
    for _ in range(2):
        pdf_jobs.pdf_job_claim(job_id=job.pk)
        PdfJob.objects.filter(pk=job.pk).update(
            lease_expires_at=timezone.now() - timedelta(seconds=1)
        )
    with django_capture_on_commit_callbacks(execute=False):
        pdf_jobs.pdf_jobs_sweep()

    job.refresh_from_db()
    assert job.status == PdfJob.Status.FAILED
    assert job.error == "worker_lost"


@pytest.mark.django_db
def test_asking_again_for_a_stuck_job_starts_it_afresh(
    coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = request(coordinator)
    pdf_jobs.pdf_job_claim(job_id=job.pk)
    PdfJob.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))

    with django_capture_on_commit_callbacks(execute=False):
        again = request(coordinator)

    assert again.pk != job.pk
    assert again.status == PdfJob.Status.QUEUED
    job.refresh_from_db()
    assert job.status == PdfJob.Status.FAILED


@pytest.mark.django_db
def test_failures_keep_the_reason_and_a_retry_renders(
    coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        refused = request(coordinator, explode=True)
        crashed = request(coordinator, 2, crash=True)
    render_pdf_job.apply(args=(refused.pk,))
    render_pdf_job.apply(args=(crashed.pk,))

    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert (refused.status, refused.error) == ("failed", "La section « Veille » a échoué.")
    assert (crashed.status, crashed.error) == ("failed", "RuntimeError")

    with django_capture_on_commit_callbacks(execute=False):
        retry = request(coordinator, 2, crash=True)
    assert retry.pk != crashed.pk
    assert retry.status == PdfJob.Status.QUEUED


@pytest.mark.django_db
def test_a_new_render_replaces_the_previous_file(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = request(coordinator)
    render_pdf_job.apply(args=(first.pk,))
    first.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        second = request(coordinator)
        render_pdf_job.apply(args=(second.pk,))

    assert not PdfJob.objects.filter(pk=first.pk).exists()
    assert not private_exists(first.file_name)
    second.refresh_from_db()
    assert private_exists(second.file_name)


@pytest.mark.django_db
def test_status_panel_and_download_are_scoped_and_audited(
    coordinator, advocacy_fr, django_capture_on_commit_callbacks
):
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=False):
        job = request(coordinator)
    owner, stranger = Client(), Client()
    owner.force_login(coordinator)
    stranger.force_login(advocacy_fr)

    queued = owner.get(f"/documents/{job.pk}/etat/")
    assert queued.status_code == 200
    assert b'hx-trigger="every 2s"' in queued.content
    render_pdf_job.apply(args=(job.pk,))
    ready = owner.get(f"/documents/{job.pk}/etat/")
    assert b"every 2s" not in ready.content
    assert b"/telecharger/" in ready.content

    assert stranger.get(f"/documents/{job.pk}/etat/").status_code == 404
    assert stranger.get(f"/documents/{job.pk}/telecharger/").status_code == 404
    assert AuditEvent.objects.filter(
        actor=advocacy_fr, action=AuditEvent.Action.PERMISSION_DENIED
    ).exists()

    download = owner.get(f"/documents/{job.pk}/telecharger/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="probe-1.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(actor=coordinator, action=AuditEvent.Action.DOWNLOAD).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_renders_a_requested_job(coordinator, celery_worker):
    job = request(coordinator)

    wait_until(lambda: not PdfJob.objects.get(pk=job.pk).is_active, timeout=60, what="rendered")
    job.refresh_from_db()
    assert job.status == PdfJob.Status.READY


@pytest.mark.django_db
def test_watching_a_stuck_job_sends_it_again_even_without_beat(
    coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=False):
        job = request(coordinator)
    pdf_jobs.pdf_job_claim(job_id=job.pk)  # then its worker was killed
    PdfJob.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    sent = []
    monkeypatch.setattr(render_pdf_job, "apply_async", lambda args, **kw: sent.append(args))
    client = Client()
    client.force_login(coordinator)

    panel = client.get(f"/documents/{job.pk}/etat/")

    assert panel.status_code == 200
    assert sent == [(job.pk,)]
    job.refresh_from_db()
    assert job.status == PdfJob.Status.QUEUED
    assert job.enqueued_at is not None


@pytest.mark.django_db
def test_what_a_document_records_once_stored_fails_the_job_when_it_raises(
    coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    import dataclasses

    from core.files import private_path

    recorded = []

    def on_ready(job):
        recorded.append(job.pk)
        if job.params.get("refuse"):
            raise pdf_jobs.PdfRenderError("Un extrait n'est plus utilisable.")

    def render_with_hook(job):
        return dataclasses.replace(_render(job), on_ready=on_ready)

    monkeypatch.setitem(
        registry.pdf_documents,
        KIND,
        dataclasses.replace(registry.pdf_documents[KIND], render=render_with_hook),
    )
    with django_capture_on_commit_callbacks(execute=False):
        refused = request(coordinator, refuse=True)
        fine = request(coordinator, object_id=2)

    assert render_pdf_job.apply(args=(refused.pk,)).get() == PdfJob.Status.FAILED
    assert render_pdf_job.apply(args=(fine.pk,)).get() == PdfJob.Status.READY
    refused.refresh_from_db()
    fine.refresh_from_db()
    assert refused.error == "Un extrait n'est plus utilisable."
    assert not refused.file_name
    stored = private_path(fine.file_name)
    assert list(stored.parent.glob("*.pdf")) == [stored]  # the refused file is gone
    assert recorded == [refused.pk, fine.pk]


@pytest.mark.django_db
def test_a_document_can_be_rendered_now_through_the_same_lifecycle(coordinator):
    job = pdf_jobs.pdf_job_run_now(kind=KIND, object_id=7, user=coordinator)
    assert job.status == PdfJob.Status.READY
    assert job.attempts == 1
    assert job.requested_by == coordinator
    assert private_exists(job.file_name)

    failed = pdf_jobs.pdf_job_run_now(
        kind=KIND, object_id=8, user=coordinator, params={"explode": 1}
    )
    assert failed.status == PdfJob.Status.FAILED
    assert failed.error == "La section « Veille » a échoué."


def test_a_briefing_period_compares_with_the_previous_month_or_as_many_days():
    from datetime import date

    from core.extensions import BriefingPeriod

    def period(start, end):
        return BriefingPeriod(
            start=start, end=end, audience="internal", language="fr", render_date=end
        )

    assert period(date(2026, 3, 1), date(2026, 3, 31)).previous == (
        date(2026, 2, 1),
        date(2026, 2, 28),
    )
    assert period(date(2026, 1, 1), date(2026, 1, 31)).previous == (
        date(2025, 12, 1),
        date(2025, 12, 31),
    )
    assert period(date(2026, 3, 10), date(2026, 3, 19)).previous == (
        date(2026, 2, 28),
        date(2026, 3, 9),
    )
    assert not period(date(2026, 3, 1), date(2026, 4, 30)).is_month
