"""Retention: expired testimonies are anonymised (or deleted) with their files on disk."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.files import private_path
from core.models import AuditEvent
from temoignages import services, tasks
from temoignages.models import Person, Testimony
from tests.temoignages.factories import TestimonyUseFactory, usable_testimony
from tests.waiting import wait_until

TODAY = timezone.localdate
PAST = datetime.timedelta(days=1)


def _jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "navy").save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue())


def expired_testimony(coordinator, **kwargs):
    """An expired testimony with a photo, a signed consent form, an identity and a use."""
    testimony = usable_testimony(
        narrative="Récit à effacer", title="Titre à effacer", nationality="SD", **kwargs
    )
    media = services.media_attach(testimony=testimony, upload=_jpeg(), uploaded_by=coordinator)
    consent = services.consent_record(
        testimony=testimony,
        recorded_by=coordinator,
        given_on=TODAY() - datetime.timedelta(days=5),
        method="written",
        explained_in="arabe",
        scope_internal=True,
        element_text=True,
        signed_form=_jpeg(),
    )
    services.testimony_identity_set(testimony=testimony, user=coordinator, full_name="Awad")
    TestimonyUseFactory(testimony=testimony, used_by=coordinator)
    # Sent years ago, kept until yesterday: what the daily task is for.
    Testimony.objects.filter(pk=testimony.pk).update(
        retention_date=TODAY() - PAST, submitted_at=timezone.now() - datetime.timedelta(days=900)
    )
    files = [
        private_path(media.storage_path),
        private_path(media.thumbnail_path),
        private_path(consent.signed_form_path),
    ]
    assert all(f.exists() for f in files)
    return testimony, files


@pytest.mark.django_db
def test_retention_anonymises_and_removes_files_from_disk(
    coordinator, django_capture_on_commit_callbacks
):
    testimony, files = expired_testimony(coordinator)
    keep = usable_testimony()  # not due
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = services.retention_run()
    assert [o.reference for o in outcomes] == [testimony.reference]
    assert not any(f.exists() for f in files)
    testimony.refresh_from_db()
    assert testimony.status == Testimony.Status.ARCHIVED
    assert testimony.anonymised_at is not None
    assert testimony.narrative == ""
    assert testimony.title == ""
    assert not testimony.nationality
    assert testimony.collected_on.day == 1
    assert not testimony.media.exists()
    assert testimony.person is None
    assert not Person.objects.exists()  # no other testimony of that person
    assert testimony.uses.exists()  # the record of past uses stays
    event = AuditEvent.objects.get(action="purge", object_id=str(testimony.pk))
    assert event.detail == {"reference": testimony.reference, "mode": "anonymise", "files": 3}
    keep.refresh_from_db()
    assert keep.anonymised_at is None


@pytest.mark.django_db
def test_retention_can_delete_instead(coordinator, settings, django_capture_on_commit_callbacks):
    settings.TEMOIGNAGES_RETENTION_ACTION = "delete"
    testimony, files = expired_testimony(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.retention_run()
    assert not Testimony.objects.filter(pk=testimony.pk).exists()
    assert not any(f.exists() for f in files)
    assert AuditEvent.objects.filter(action="purge", detail__mode="delete").exists()


@pytest.mark.django_db
def test_dry_run_command_lists_and_changes_nothing(coordinator):
    testimony, files = expired_testimony(coordinator)
    out = io.StringIO()
    call_command("temoignages_retention", "--dry-run", stdout=out)
    assert f"{testimony.reference} would be anonymised (3 file(s))" in out.getvalue()
    assert all(f.exists() for f in files)
    testimony.refresh_from_db()
    assert testimony.anonymised_at is None


@pytest.mark.django_db
def test_dry_run_can_look_ahead(coordinator):
    testimony = usable_testimony()
    Testimony.objects.filter(pk=testimony.pk).update(retention_date=TODAY() + PAST)
    out = io.StringIO()
    ahead = (TODAY() + datetime.timedelta(days=3)).isoformat()
    call_command("temoignages_retention", "--dry-run", f"--date={ahead}", stdout=out)
    assert testimony.reference in out.getvalue()


@pytest.mark.django_db
def test_extended_retention_is_not_purged_by_a_late_task(coordinator):
    testimony, files = expired_testimony(coordinator)
    services.testimony_retention_set(
        testimony=testimony, user=coordinator, retention_date=TODAY() + datetime.timedelta(days=30)
    )
    assert tasks.retention_purge(testimony.pk) is None  # re-checked under lock
    assert all(f.exists() for f in files)


@pytest.mark.django_db
def test_purge_twice_is_harmless(coordinator, django_capture_on_commit_callbacks):
    testimony, _files = expired_testimony(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.retention_purge(testimony.pk) == "anonymise"
    assert tasks.retention_purge(testimony.pk) is None
    assert AuditEvent.objects.filter(action="purge").count() == 1


@pytest.mark.django_db
def test_retention_date_cannot_be_set_in_the_past(client_for, coordinator):
    testimony = usable_testimony()
    before = testimony.retention_date
    response = client_for(coordinator).post(
        reverse("temoignages:retention_set", args=[testimony.pk]),
        {"retention_date": (TODAY() - PAST).isoformat()},
        follow=True,
    )
    assert "ne peut pas être dans le passé" in response.content.decode()
    testimony.refresh_from_db()
    assert testimony.retention_date == before


def test_daily_sweep_runs_on_a_real_worker(celery_worker, coordinator):
    """Beat's task, on the real broker: the sweep fans out, a worker purges, files go."""
    testimony, files = expired_testimony(coordinator)
    tasks.retention_sweep.delay()  # results are not stored: watch the disk instead
    wait_until(
        lambda: not any(f.exists() for f in files), timeout=20, what="files purged", interval=0.2
    )
    testimony.refresh_from_db()
    assert testimony.status == Testimony.Status.ARCHIVED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sent_days_ago", "retention", "reason"),
    [
        # collected_on=0001-01-01 typed by mistake: kept "until" year 4.
        (200, datetime.date(4, 1, 1), "retention_before_submission"),
        # sent last week, already past its date: a date is wrong somewhere.
        (7, None, "submitted_recently"),
    ],
)
def test_the_daily_purge_holds_testimonies_whose_dates_look_wrong(
    coordinator, sent_days_ago, retention, reason, django_capture_on_commit_callbacks
):
    testimony, files = expired_testimony(coordinator)
    Testimony.objects.filter(pk=testimony.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=sent_days_ago),
        retention_date=retention or TODAY() - PAST,
    )
    out = io.StringIO()
    call_command("temoignages_retention", "--dry-run", stdout=out)
    assert f"{testimony.reference} held" in out.getvalue()

    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.retention_purge.apply(args=[testimony.pk]).get()

    testimony.refresh_from_db()
    assert result == "hold"
    assert testimony.anonymised_at is None
    assert testimony.narrative == "Récit à effacer"
    assert all(f.exists() for f in files)
    event = AuditEvent.objects.filter(action="purge").latest("pk")
    assert event.detail["mode"] == "hold"
    assert event.detail["reason"] == reason
