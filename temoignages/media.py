"""The private media pipeline: check by content, strip metadata, store out of reach.

Every uploaded file (testimony media, signed consent forms) goes through `store_upload`:

1. size limit of the kind it claims to be, then of the kind its *content* says it is;
2. type decided by content (puremagic signatures, then Pillow for images), never by the
   name or the browser's Content-Type; only a short allow-list of formats is accepted;
3. refusal of disguised and polyglot files: active content (HTML, script, SVG, PHP)
   anywhere in the file, an archive or executable hidden inside an image or a PDF, a PDF
   carrying JavaScript or launch actions;
4. images: refusal of decompression bombs (pixel count checked before decoding), then
   `exif_transpose` and a re-encode from raw pixels, so no EXIF, GPS, XMP, IPTC or comment
   survives; a thumbnail is made the same way;
5. audio/video: stored as uploaded and flagged "metadata not stripped", unless an ffmpeg
   binary is available, in which case the container metadata is dropped (`-map_metadata
   -1`, streams copied untouched);
6. written under PRIVATE_STORAGE_ROOT with a server-chosen name (random, never the
   uploaded name), mode 0600, atomically (temporary file then rename), with its SHA-256.
"""

from __future__ import annotations

import hashlib
import io
import logging
import shutil
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import puremagic
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.files import private_delete, private_name, private_write

from . import conf

logger = logging.getLogger(__name__)

PHOTO, AUDIO, VIDEO, DOCUMENT = "photo", "audio", "video", "document"
ALL_KINDS = frozenset({PHOTO, AUDIO, VIDEO, DOCUMENT})

# Signature extension (as puremagic names it) → (kind, canonical MIME type, stored extension)
_FORMATS: dict[str, tuple[str, str, str]] = {
    ".jpg": (PHOTO, "image/jpeg", ".jpg"),
    ".jpeg": (PHOTO, "image/jpeg", ".jpg"),
    ".jfif": (PHOTO, "image/jpeg", ".jpg"),
    ".jpe": (PHOTO, "image/jpeg", ".jpg"),
    ".png": (PHOTO, "image/png", ".png"),
    ".webp": (PHOTO, "image/webp", ".webp"),
    ".mp3": (AUDIO, "audio/mpeg", ".mp3"),
    ".m4a": (AUDIO, "audio/mp4", ".m4a"),
    ".f4a": (AUDIO, "audio/mp4", ".m4a"),
    ".ogg": (AUDIO, "audio/ogg", ".ogg"),
    ".oga": (AUDIO, "audio/ogg", ".ogg"),
    ".opus": (AUDIO, "audio/ogg", ".ogg"),
    ".wav": (AUDIO, "audio/wav", ".wav"),
    ".amr": (AUDIO, "audio/amr", ".amr"),
    ".mp4": (VIDEO, "video/mp4", ".mp4"),
    ".m4v": (VIDEO, "video/mp4", ".mp4"),
    ".mov": (VIDEO, "video/quicktime", ".mov"),
    ".qt": (VIDEO, "video/quicktime", ".mov"),
    ".webm": (VIDEO, "video/webm", ".webm"),
    ".3gp": (VIDEO, "video/3gpp", ".3gp"),
    ".3g2": (VIDEO, "video/3gpp", ".3gp"),
    ".pdf": (DOCUMENT, "application/pdf", ".pdf"),
}
# Pillow format → what a photo is re-encoded to (everything opaque becomes JPEG).
_PILLOW_FORMATS = {"JPEG", "PNG", "WEBP"}

# Active content that has no business inside a photo, a recording or a PDF.
_ACTIVE_MARKERS = (
    b"<script",
    b"<html",
    b"<!doctype html",
    b"<?php",
    b"<svg",
    b"<iframe",
    b"<object",
    b"<embed",
    b"javascript:",
    b"<?xml-stylesheet",
)
# Something else hidden inside an image or a PDF (JPEG+ZIP/JAR polyglots, executables).
_EMBEDDED_MARKERS = (b"PK\x03\x04", b"PK\x05\x06", b"\x7fELF", b"Rar!\x1a\x07", b"7z\xbc\xaf\x27")
_PDF_ACTIVE_MARKERS = (b"/javascript", b"/js ", b"/js(", b"/js<", b"/launch", b"/embeddedfile")

_CHUNK = 1024 * 1024
_OVERLAP = 32
_HEAD = 64 * 1024
THUMBNAIL_SIZE = (480, 480)


@dataclass(frozen=True)
class StoredFile:
    kind: str
    mime_type: str
    storage_path: str
    size_bytes: int
    sha256: str
    metadata_stripped: bool
    width: int | None = None
    height: int | None = None
    thumbnail_path: str = ""


# --- Checks -----------------------------------------------------------------------------


def _limit_error(kind: str, limit: int) -> ValidationError:
    labels = {
        PHOTO: _("une photo"),
        AUDIO: _("un enregistrement audio"),
        VIDEO: _("une vidéo"),
        DOCUMENT: _("un document"),
    }
    return ValidationError(
        _("Fichier trop volumineux : %(limit)s au maximum pour %(kind)s.")
        % {"limit": filesizeformat(limit), "kind": labels[kind]},
        code="too_large",
    )


def _allowed_formats_message(allowed: frozenset[str]) -> str:
    parts = []
    if PHOTO in allowed:
        parts.append(_("photos JPEG, PNG ou WebP"))
    if AUDIO in allowed:
        parts.append(_("audio MP3, M4A, OGG, WAV ou AMR"))
    if VIDEO in allowed:
        parts.append(_("vidéos MP4, MOV, WebM ou 3GP"))
    if DOCUMENT in allowed:
        parts.append(_("documents PDF"))
    return ", ".join(parts)


def detect_format(head: bytes) -> tuple[str, str, str] | None:
    """(kind, mime, extension) from the first bytes of a file, or None if not allowed."""
    if not head:
        return None
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return None
    for match in matches:
        found = _FORMATS.get((match.extension or "").lower())
        if found:
            return found
    return None


def _scan_for(markers: tuple[bytes, ...], chunks, *, fold_case: bool = True) -> bytes | None:
    """The first marker found across chunks (case-insensitive by default), or None."""
    tail = b""
    for chunk in chunks:
        window = tail + chunk
        if fold_case:
            window = window.lower()
        for marker in markers:
            if marker in window:
                return marker
        tail = window[-_OVERLAP:]
    return None


def _iter_file(path: Path):
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            yield chunk


def _refuse_disguised(kind: str, path: Path) -> None:
    if _scan_for(_ACTIVE_MARKERS, _iter_file(path)):
        raise ValidationError(
            _(
                "Fichier refusé : il contient du contenu actif (HTML ou script) caché. "
                "Il s'agit peut-être d'un fichier déguisé."
            ),
            code="polyglot",
        )
    if kind in (PHOTO, DOCUMENT) and _scan_for(
        _EMBEDDED_MARKERS, _iter_file(path), fold_case=False
    ):
        raise ValidationError(
            _(
                "Fichier refusé : une archive ou un programme est caché à l'intérieur. "
                "Il s'agit peut-être d'un fichier déguisé."
            ),
            code="polyglot",
        )
    if kind == DOCUMENT and _scan_for(_PDF_ACTIVE_MARKERS, _iter_file(path)):
        raise ValidationError(
            _(
                "PDF refusé : il contient du JavaScript, des fichiers joints ou des actions "
                "automatiques. Imprimez-le en PDF ou numérisez-le, puis réessayez."
            ),
            code="pdf_active",
        )


# --- Images -----------------------------------------------------------------------------


def _open_image_safely(data: bytes) -> Image.Image:
    """Open an image, refusing decompression bombs before any pixel is decoded."""
    limit = conf.max_image_pixels()
    bomb = ValidationError(
        _(
            "Image refusée : ses dimensions sont démesurées (plus de %(mp)s mégapixels), "
            "c'est peut-être une « bombe de décompression »."
        )
        % {"mp": limit // 1_000_000},
        code="decompression_bomb",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format not in _PILLOW_FORMATS:
                raise ValidationError(
                    _("Format d'image non accepté : JPEG, PNG ou WebP uniquement."),
                    code="bad_type",
                )
            width, height = image.size
            if width * height > limit or width <= 0 or height <= 0:
                raise bomb
            previous = Image.MAX_IMAGE_PIXELS
            Image.MAX_IMAGE_PIXELS = limit
            try:
                image.load()
            finally:
                Image.MAX_IMAGE_PIXELS = previous
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise bomb from None
        except ValidationError:
            raise
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ValidationError(
                _("Image illisible ou abîmée : elle n'a pas pu être ouverte."),
                code="bad_image",
            ) from exc
    return image


def _clean_pixels(image: Image.Image) -> Image.Image:
    """A brand-new image holding only the (correctly oriented) pixels: no metadata at all."""
    oriented = ImageOps.exif_transpose(image)
    has_alpha = oriented.mode in ("RGBA", "LA", "PA") or (
        oriented.mode == "P" and "transparency" in oriented.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    converted = oriented.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def _encode(image: Image.Image) -> tuple[bytes, str, str]:
    out = io.BytesIO()
    if image.mode == "RGBA":
        image.save(out, format="PNG", optimize=True)
        return out.getvalue(), "image/png", ".png"
    image.save(out, format="JPEG", quality=88, optimize=True)
    return out.getvalue(), "image/jpeg", ".jpg"


def _thumbnail(image: Image.Image) -> bytes:
    thumb = image.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    if thumb.mode != "RGB":
        background = Image.new("RGB", thumb.size, (255, 255, 255))
        background.paste(thumb, mask=thumb.getchannel("A") if thumb.mode == "RGBA" else None)
        thumb = background
    out = io.BytesIO()
    thumb.save(out, format="JPEG", quality=80)
    return out.getvalue()


# --- Audio / video ----------------------------------------------------------------------


def _ffmpeg() -> str | None:
    binary = conf.ffmpeg_binary()
    return shutil.which(binary) if binary else None


def _strip_av_metadata(source: Path, ext: str) -> Path | None:
    """A copy of `source` without container metadata, or None if ffmpeg is unavailable."""
    binary = _ffmpeg()
    if not binary:
        return None
    target = source.with_name(source.stem + "-clean" + ext)
    command = [
        binary,
        "-nostdin",
        "-v",
        "error",
        "-y",
        "-i",
        str(source),
        "-map",
        "0",
        "-map_metadata",
        "-1",
        "-map_chapters",
        "-1",
        "-c",
        "copy",
        "-fflags",
        "+bitexact",
        str(target),
    ]
    try:
        subprocess.run(command, check=True, timeout=300, capture_output=True)  # noqa: S603
    except (subprocess.SubprocessError, OSError):
        logger.warning("ffmpeg could not strip metadata; the file is kept as uploaded")
        target.unlink(missing_ok=True)
        return None
    return target


# --- Entry point ------------------------------------------------------------------------


def store_upload(*, upload, folder: str, allowed_kinds: frozenset[str] = ALL_KINDS) -> StoredFile:
    """Check, clean and store one uploaded file; raises ValidationError with a clear message.

    `upload` is a Django `UploadedFile` (or any `File`); `folder` is the private
    sub-folder (e.g. "temoignages/42"). Nothing is written when the file is refused.
    """
    limits = conf.media_max_bytes()
    size = getattr(upload, "size", None)
    if size is None:
        raise ValidationError(_("Fichier vide."), code="empty")
    largest_kind = max(sorted(allowed_kinds), key=lambda k: limits[k])
    biggest = limits[largest_kind]
    if size > biggest:
        raise _limit_error(largest_kind, biggest)
    if size == 0:
        raise ValidationError(_("Fichier vide."), code="empty")

    with tempfile.TemporaryDirectory(prefix="tem-upload-") as tmpdir:
        raw = Path(tmpdir) / "raw"
        written = 0
        if hasattr(upload, "seek"):
            upload.seek(0)
        with raw.open("wb") as fh:
            for chunk in upload.chunks():
                written += len(chunk)
                if written > biggest:
                    raise _limit_error(largest_kind, biggest)
                fh.write(chunk)
        if written == 0:
            raise ValidationError(_("Fichier vide."), code="empty")
        with raw.open("rb") as fh:
            head = fh.read(_HEAD)

        detected = detect_format(head)
        if detected is None or detected[0] not in allowed_kinds:
            raise ValidationError(
                _(
                    "Type de fichier refusé : son contenu n'est pas un format accepté "
                    "(%(formats)s). L'extension du nom ne compte pas."
                )
                % {"formats": _allowed_formats_message(allowed_kinds)},
                code="bad_type",
            )
        kind, mime, ext = detected
        if written > limits[kind]:
            raise _limit_error(kind, limits[kind])
        _refuse_disguised(kind, raw)

        if kind == PHOTO:
            return _store_image(raw.read_bytes(), folder)
        return _store_as_is(raw, kind, mime, ext, folder)


def _store_image(data: bytes, folder: str) -> StoredFile:
    image = _open_image_safely(data)
    clean = _clean_pixels(image)
    encoded, mime, ext = _encode(clean)
    thumb = _thumbnail(clean)
    path = private_name(folder, ext)
    thumb_path = private_name(folder, "-thumb.jpg")
    private_write(path, encoded)
    try:
        private_write(thumb_path, thumb)
    except BaseException:
        private_delete(path)
        raise
    return StoredFile(
        kind=PHOTO,
        mime_type=mime,
        storage_path=path,
        size_bytes=len(encoded),
        sha256=hashlib.sha256(encoded).hexdigest(),
        metadata_stripped=True,
        width=clean.width,
        height=clean.height,
        thumbnail_path=thumb_path,
    )


def _store_as_is(raw: Path, kind: str, mime: str, ext: str, folder: str) -> StoredFile:
    final = raw
    stripped = False
    if kind in (AUDIO, VIDEO):
        # ffmpeg picks the output container from the extension.
        final = raw.rename(raw.with_suffix(ext))
        cleaned = _strip_av_metadata(final, ext)
        if cleaned is not None:
            final, stripped = cleaned, True
    digest = hashlib.sha256()
    size = 0
    for chunk in _iter_file(final):
        digest.update(chunk)
        size += len(chunk)
    path = private_name(folder, ext)
    private_write(path, final)
    return StoredFile(
        kind=kind,
        mime_type=mime,
        storage_path=path,
        size_bytes=size,
        sha256=digest.hexdigest(),
        metadata_stripped=stripped,
    )
