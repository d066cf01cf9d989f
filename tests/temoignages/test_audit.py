"""Every view, reveal, download and export of a testimony is audited — never its content."""

import io
import logging
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import AuditEvent
from temoignages import services
from tests.core.factories import site
from tests.temoignages.factories import ConsentFactory, TestimonyFactory, usable_testimony

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
    client.get(reverse("temoignages:detail", args=[testimony.pk]) + "?tab=medias")
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
        reverse("temoignages:detail", args=[testimony.pk]) + "?tab=historique"
    )
    html = content.content.decode()
    assert "Modifié" in html
    assert "récit" in html  # the field's name, in words
    assert SECRET not in html.split('id="history"')[1]


# --- Services audit their own writes, once ----------------------------------------------


def test_creating_a_draft_is_audited_by_the_service_once_whoever_calls_it(field_calais):
    key = uuid.uuid4()
    first = services.testimony_draft_create(
        user=field_calais, site=site("calais"), client_uuid=key, title="Premier envoi"
    )
    again = services.testimony_draft_create(
        user=field_calais, site=site("calais"), client_uuid=key, title="Renvoyé", wizard_step=2
    )
    assert again.pk == first.pk
    assert again.title == "Renvoyé"  # what the retry says is saved on the same draft
    created = AuditEvent.objects.filter(action="create", object_id=str(first.pk))
    assert created.count() == 1
    assert created.get().actor == field_calais


def test_a_retried_create_never_takes_the_draft_back_to_an_earlier_step(field_calais):
    key = uuid.uuid4()
    draft = services.testimony_draft_create(
        user=field_calais, site=site("calais"), client_uuid=key, wizard_step=5
    )
    again = services.testimony_draft_create(
        user=field_calais, site=site("calais"), client_uuid=key, wizard_step=2
    )
    assert again.pk == draft.pk
    assert again.wizard_step == 5


def test_a_retried_create_returns_a_sent_testimony_unchanged(field_calais):
    sent = TestimonyFactory(collected_by=field_calais, submitted=True, title="Envoyé")
    again = services.testimony_draft_create(
        user=field_calais, site=site("calais"), client_uuid=sent.client_uuid, title="Écrasé"
    )
    assert again.pk == sent.pk
    sent.refresh_from_db()
    assert sent.title == "Envoyé"
    assert not AuditEvent.objects.filter(action="create").exists()


def test_submitting_is_audited_by_the_service_and_a_second_submit_is_a_no_op(field_calais):
    testimony = TestimonyFactory(collected_by=field_calais)
    ConsentFactory(testimony=testimony)
    testimony.refresh_from_db()
    services.testimony_submit(testimony=testimony, user=field_calais)
    services.testimony_submit(testimony=testimony, user=field_calais)
    submitted = AuditEvent.objects.filter(action="change", object_id=str(testimony.pk))
    assert [e.detail for e in submitted] == [{"change": "submitted"}]
    assert testimony.events.filter(kind="submitted").count() == 1


def test_the_wizard_no_longer_writes_these_events_itself(client_for, field_calais):
    """The wizard's creation and submission leave exactly the services' events."""
    from tests.temoignages.helpers import context_data

    key = uuid.uuid4()
    client = client_for(field_calais)
    client.post(reverse("temoignages:submit_start"), context_data(site("calais"), client_uuid=key))
    client.post(reverse("temoignages:submit_start"), context_data(site("calais"), client_uuid=key))
    testimony = services.testimony_draft_create(
        user=field_calais, site=site("calais"), client_uuid=key
    )
    ConsentFactory(testimony=testimony)
    testimony.refresh_from_db()
    services.testimony_draft_update(testimony=testimony, user=field_calais, narrative=SECRET)
    step6 = reverse("temoignages:submit_step", args=[testimony.pk, 6])
    client.post(step6, {"nav": "next"})
    client.post(step6, {"nav": "next"})
    events = AuditEvent.objects.filter(object_id=str(testimony.pk)).exclude(action="view")
    assert sorted(events.values_list("action", flat=True)) == ["change", "create"]
    assert all(e.ip_address == "127.0.0.1" for e in events)
