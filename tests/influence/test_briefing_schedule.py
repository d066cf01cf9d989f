"""The schedule: beat renders the previous month's internal briefing on the 1st at 06:00
(Europe/Paris), once; subscribers get a link (never the file) when it is ready."""

from __future__ import annotations

import datetime

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core import mail

from core.models import PdfJob
from core.pdf_jobs import pdf_job_run, pdf_job_run_now
from influence import tasks
from influence.models import Briefing, BriefingSubscription
from influence.selectors.briefings import BRIEFING_PDF
from influence.services.briefings import briefing_notify, briefing_schedule_month
from tests.influence.briefing_data import briefing, last_month
from tests.waiting import wait_until

pytestmark = pytest.mark.django_db


def test_beat_asks_for_the_briefing_on_the_first_at_six_paris_time():
    entry = django_settings.CELERY_BEAT_SCHEDULE["influence-monthly-briefing"]
    assert entry["task"] == "influence.tasks.schedule_monthly_briefing"
    assert entry["schedule"] == crontab(minute=0, hour=6, day_of_month=1)
    assert django_settings.CELERY_TIMEZONE == "Europe/Paris"
    assert tasks.schedule_monthly_briefing.name == entry["task"]


def test_the_scheduled_task_is_idempotent(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = tasks.schedule_monthly_briefing.apply().get()
        second = tasks.schedule_monthly_briefing.apply().get()

    assert first == second
    edition = Briefing.objects.get()
    assert (edition.period_start, edition.period_end) == last_month()
    assert (edition.audience, edition.language, edition.scheduled) == ("internal", "fr", True)
    assert PdfJob.objects.filter(kind=BRIEFING_PDF).count() == 1


def test_a_ready_briefing_is_not_rendered_again_unless_regeneration_is_asked(
    coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        _edition, job = briefing_schedule_month()
    assert pdf_job_run(job_id=job.pk) == PdfJob.Status.READY

    with django_capture_on_commit_callbacks(execute=False):
        assert briefing_schedule_month()[1] is None
        _edition, again = briefing_schedule_month(regenerate=True)
    assert again is not None
    assert again.pk != job.pk
    assert Briefing.objects.count() == 1


def test_a_failed_scheduled_render_is_asked_again_by_the_next_run(
    coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        _edition, job = briefing_schedule_month()
    PdfJob.objects.filter(pk=job.pk).update(status=PdfJob.Status.FAILED, error="timeout")
    with django_capture_on_commit_callbacks(execute=False):
        _edition, retry = briefing_schedule_month()
    assert retry.pk != job.pk
    assert Briefing.objects.count() == 1


def test_the_edition_coordinators_prepared_is_the_one_scheduled(
    coordinator, django_capture_on_commit_callbacks
):
    prepared = briefing(introduction="Notre éditorial, écrit à l'avance.")
    with django_capture_on_commit_callbacks(execute=False):
        edition, _job = briefing_schedule_month()
    assert edition == prepared


def test_the_scheduled_month_is_the_previous_one_even_in_january(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        edition, _job = briefing_schedule_month(today=datetime.date(2027, 1, 1))
    assert (edition.period_start, edition.period_end) == (
        datetime.date(2026, 12, 1),
        datetime.date(2026, 12, 31),
    )


def test_subscribers_get_a_link_once_never_the_file(
    coordinator, viewer, communication, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        tasks.notify_briefing_ready, "apply_async", lambda args, **kw: sent.append(args)
    )
    for user in (coordinator, viewer, communication):
        BriefingSubscription.objects.create(user=user)
    communication.email = ""
    communication.save()
    coordinator.email = "camille@example.org"
    coordinator.preferred_language = "en"
    coordinator.save()
    viewer.email = "lecture@example.org"
    viewer.save()
    edition = briefing()

    with django_capture_on_commit_callbacks(execute=True):
        job = pdf_job_run_now(kind=BRIEFING_PDF, object_id=edition.pk, user=coordinator)
    assert sent == [(edition.pk, job.pk)]  # asked once the PDF is stored

    assert briefing_notify(briefing_id=edition.pk, job_id=job.pk) == 1
    assert briefing_notify(briefing_id=edition.pk, job_id=job.pk) == 0  # once per render
    (message,) = mail.outbox
    assert message.to == ["camille@example.org"]  # viewers do not read internal editions
    assert message.attachments == []
    assert f"{django_settings.SITE_URL}/briefings/{edition.pk}/" in message.body
    assert "Monthly briefing" in message.subject  # in the reader's language
    assert ".pdf" not in message.body


def test_the_task_sends_nothing_for_a_render_that_is_not_ready(coordinator):
    edition = briefing()
    job = PdfJob.objects.create(kind=BRIEFING_PDF, object_id=str(edition.pk))
    BriefingSubscription.objects.create(user=coordinator)
    assert tasks.notify_briefing_ready.apply(args=(edition.pk, job.pk)).get() == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_renders_the_scheduled_briefing_on_the_pdf_queue(celery_worker, coordinator):
    from config.celery import app

    assert app.control.add_consumer("pdf", reply=True, destination=[celery_worker.hostname])
    tasks.schedule_monthly_briefing.delay()
    job = wait_until(
        lambda: (
            PdfJob.objects.filter(kind=BRIEFING_PDF)
            .exclude(status__in=[PdfJob.Status.QUEUED, PdfJob.Status.RENDERING])
            .first()
        ),
        timeout=120,
        what="the briefing rendered",
        interval=0.2,
    )
    assert job.status == PdfJob.Status.READY, job.error
    assert job.page_count > 1
