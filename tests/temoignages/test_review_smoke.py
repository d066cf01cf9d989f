"""The records path end to end, also on the embedded SQLite default (smoke lane)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from temoignages import services
from temoignages.gate import usability_panel
from tests.core.factories import site

pytestmark = [pytest.mark.smoke, pytest.mark.django_db]


def test_collect_consent_attach_submit_review_and_read(client_for, field_calais, coordinator):
    testimony = services.testimony_draft_create(
        user=field_calais, site=site("calais"), narrative="Récit", sensitivity="standard"
    )
    services.consent_record(
        testimony=testimony,
        recorded_by=field_calais,
        given_on=timezone.localdate(),
        method="oral_recorded",
        explained_in="arabe",
        scope_internal=True,
        scope_external_anonymised=True,
        element_text=True,
        element_image=True,
    )
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "olive").save(buffer, "JPEG")
    services.media_attach(
        testimony=testimony,
        upload=SimpleUploadedFile("p.jpg", buffer.getvalue()),
        uploaded_by=field_calais,
    )
    services.testimony_submit(testimony=testimony, user=field_calais)
    services.review_start(testimony=testimony, user=coordinator)
    services.external_version_update(
        testimony=testimony, user=coordinator, external_text="Version caviardée."
    )
    services.review_approve(testimony=testimony, user=coordinator)
    testimony.refresh_from_db()
    assert [u.allowed for u in usability_panel(testimony)] == [True, True, True]

    client = client_for(coordinator)
    assert testimony.reference in client.get(reverse("temoignages:list")).content.decode()
    for tab in ("recit", "externe", "consentement", "medias", "utilisations", "historique"):
        url = reverse("temoignages:detail", args=[testimony.pk]) + f"?tab={tab}"
        assert client.get(url).status_code == 200
    export = client.post(
        reverse("temoignages:export"), {"audience": "public", "export_format": "csv"}
    )
    assert "Version caviardée." in b"".join(export.streaming_content).decode("utf-8-sig")
