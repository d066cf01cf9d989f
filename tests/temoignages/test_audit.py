"""Every view, reveal, download and export of a testimony is audited — never its content."""

import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import AuditEvent
from temoignages import services
from tests.core.factories import site
from tests.temoignages.factories import TestimonyFactory, usable_testimony

pytestmark = pytest.mark.django_db

SECRET = "Youssef a été frappé au poste de Ventimiglia"
NAME = "Youssef Ben Salah"


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "JPEG")
    return SimpleUploadedFile("youssef.jpg", buffer.getvalue())


@pytest.fixture
def testimony(coordinator):
    testimony = usable_testimony(narrative=SECRET, external_text="Un jeune homme raconte.")
    services.testimony_identity_set(testimony=testimony, user=coordinator, full_name=NAME)
    return testimony


def test_each_action_writes_one_event(client_for, coordinator, testimony):
    client = client_for(coordinator)
    media = services.media_attach(testimony=testimony, upload=_photo(), uploaded_by=coordinator)
    client.get(reverse("temoignages:detail", args=[testimony.pk]))
    client.get(reverse("temoignages:detail", args=[testimony.pk]) + "?onglet=medias")
    client.post(reverse("temoignages:identity_reveal", args=[testimony.pk]))
    client.get(reverse("temoignages:media_download", args=[testimony.pk, media.pk]))
    client.post(reverse("temoignages:export"), {"audience": "internal", "export_format": "csv"})
    events = AuditEvent.objects.filter(actor=coordinator).exclude(action="login")
    actions = sorted(events.values_list("action", flat=True))
    assert actions == ["download", "export", "reveal", "view", "view"]
    views = events.filter(action="view", object_id=str(testimony.pk))
    assert sorted(e.detail["tab"] for e in views) == ["medias", "recit"]
    assert all(e.ip_address == "127.0.0.1" for e in events)


def test_events_never_hold_the_sensitive_content(client_for, coordinator, testimony):
    client = client_for(coordinator)
    client.get(reverse("temoignages:detail", args=[testimony.pk]))
    client.post(reverse("temoignages:identity_reveal", args=[testimony.pk]))
    client.post(reverse("temoignages:export"), {"audience": "internal", "export_format": "xlsx"})
    services.consent_withdraw(testimony=testimony, user=coordinator, reason=SECRET)
    dump = str(list(AuditEvent.objects.values()))
    assert SECRET not in dump
    assert NAME not in dump
    assert "Ventimiglia" not in dump


def test_out_of_scope_attempts_are_audited_as_denied(client_for, field_marseille, testimony):
    client = client_for(field_marseille)
    for name in ("detail", "identity_reveal", "consent_record"):
        client.get(reverse(f"temoignages:{name}", args=[testimony.pk]))
    denied = AuditEvent.objects.filter(action="permission_denied", actor=field_marseille)
    assert denied.filter(object_id=str(testimony.pk)).count() >= 2


def test_no_sensitive_content_reaches_the_logs(client_for, coordinator, caplog, settings):
    settings.TEMOIGNAGES_FFMPEG_BINARY = "/nonexistent/ffmpeg"
    caplog.set_level(logging.DEBUG)
    testimony = services.testimony_draft_create(
        user=coordinator, site=site("calais"), narrative=SECRET
    )
    services.testimony_identity_set(testimony=testimony, user=coordinator, full_name=NAME)
    services.media_attach(testimony=testimony, upload=_photo(), uploaded_by=coordinator)
    client = client_for(coordinator)
    client.get(reverse("temoignages:detail", args=[testimony.pk]))
    client.post(reverse("temoignages:identity_reveal", args=[testimony.pk]))
    client.post(reverse("temoignages:media_upload", args=[testimony.pk]), {"file": _photo()})
    logged = caplog.text
    assert SECRET not in logged
    assert NAME not in logged
    assert "youssef.jpg" not in logged


def test_history_lists_who_changed_which_fields(client_for, coordinator, field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    services.testimony_draft_update(testimony=testimony, user=field_calais, narrative=SECRET)
    content = client_for(coordinator).get(
        reverse("temoignages:detail", args=[testimony.pk]) + "?onglet=historique"
    )
    html = content.content.decode()
    assert "Modifié" in html
    assert "récit" in html  # the field's name, in words
    assert SECRET not in html.split('id="history"')[1]
