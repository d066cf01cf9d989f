"""Private files: stored out of reach, served only through one audited helper."""

import pytest
from django.test import RequestFactory

from core.files import (
    private_delete,
    private_file_response,
    private_name,
    private_path,
    private_storage,
    private_write,
)
from core.models import AuditEvent


def test_the_private_storage_follows_its_setting_and_has_no_url(private_root):
    assert private_storage().location == str(private_root)
    with pytest.raises(ValueError, match="no URL"):
        private_storage().url("x.pdf")


def test_files_are_written_atomically_with_restricted_modes(private_root):
    name = private_write(private_name("notes", ".pdf"), b"%PDF-1.7")

    path = private_path(name)
    assert path.read_bytes() == b"%PDF-1.7"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert not list(path.parent.glob(".upload-*"))
    assert private_delete(name)
    assert not path.exists()
    assert not private_delete(name)


@pytest.mark.parametrize("name", ["", "../etc/passwd", "/etc/passwd", "a/../../b"])
def test_paths_outside_the_root_are_refused(private_root, name):
    with pytest.raises(ValueError, match="outside"):
        private_path(name)


@pytest.mark.django_db
def test_served_as_an_audited_attachment_that_is_never_cached(private_root, coordinator):
    name = private_write("media/abc.jpg", b"\xff\xd8\xff")
    request = RequestFactory().get("/x")
    request.user = coordinator

    response = private_file_response(
        request,
        name=name,
        filename="TEM-2026-0001-photo.jpg",
        content_type="image/jpeg",
        audit_obj=coordinator,
        audit_detail={"kind": "photo"},
    )

    assert b"".join(response.streaming_content) == b"\xff\xd8\xff"
    assert response["Content-Disposition"] == 'attachment; filename="TEM-2026-0001-photo.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert event.detail == {"kind": "photo"}


@pytest.mark.django_db
def test_nginx_sends_the_file_when_x_accel_is_configured(private_root, settings, coordinator):
    settings.PRIVATE_STORAGE_X_ACCEL_PREFIX = "/_private/"
    name = private_write("pdf/note é.pdf", b"%PDF")
    request = RequestFactory().get("/x")
    request.user = coordinator

    response = private_file_response(
        request, name=name, filename="note-é.pdf", content_type="application/pdf"
    )

    assert response["X-Accel-Redirect"] == "/_private/pdf/note%20%C3%A9.pdf"
    assert response.content == b""
    assert response["Content-Disposition"] == (
        "attachment; filename=\"note-_.pdf\"; filename*=UTF-8''note-%C3%A9.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
