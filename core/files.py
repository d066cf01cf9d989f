"""Private files: stored outside any URL, served only by views that checked permission.

Testimony media, signed consent forms and generated PDFs live in the `private` storage
(`STORAGES["private"]`, rooted at `PRIVATE_STORAGE_ROOT`). Names are chosen by the
server (random), files are written atomically with mode 0600.

`private_file_response` is the one way to send such a file: the caller has already
checked that the user may see it; the helper audits the download, forces a
server-chosen name, `nosniff`, `no-store` and a sandboxing CSP, and hands the transfer to
nginx (`X-Accel-Redirect`) when `PRIVATE_STORAGE_X_ACCEL_PREFIX` is set.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    """File system storage rooted at `PRIVATE_STORAGE_ROOT`, never served by URL."""

    def __init__(self, location=None, **kwargs):
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(location=location, base_url=None, **kwargs)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, str(settings.PRIVATE_STORAGE_ROOT))

    def _clear_cached_properties(self, setting, **kwargs):
        # Tests point PRIVATE_STORAGE_ROOT at a temporary folder.
        if setting == "PRIVATE_STORAGE_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)
        else:
            super()._clear_cached_properties(setting, **kwargs)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them with private_file_response.")


def private_storage() -> PrivateStorage:
    return storages["private"]


def private_path(name: str) -> Path:
    """Absolute path of a private file, refusing anything outside the private root."""
    root = Path(private_storage().location).resolve()
    path = (root / name).resolve() if name else root
    if not name or path == root or not path.is_relative_to(root):
        raise ValueError("Path outside the private storage root.")
    return path


def private_name(folder: str, suffix: str) -> str:
    """A new random name under `folder` (e.g. "veille/notes", ".pdf")."""
    return f"{folder.strip('/')}/{uuid.uuid4().hex}{suffix}"


def private_write(name: str, data: bytes | Path) -> str:
    """Write `data` at `name` atomically (temporary file then rename), mode 0600."""
    target = private_path(name)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, Path):
                with data.open("rb") as source:
                    while chunk := source.read(1024 * 1024):
                        fh.write(chunk)
            else:
                fh.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return name


def private_delete(name: str) -> bool:
    """Remove a private file if it exists; True when something was removed."""
    if not name:
        return False
    try:
        private_path(name).unlink()
    except (ValueError, FileNotFoundError):
        return False
    return True


def private_exists(name: str) -> bool:
    try:
        return private_path(name).is_file()
    except ValueError:
        return False


def private_file_response(
    request,
    *,
    name: str,
    filename: str,
    content_type: str,
    attachment: bool = True,
    audit_obj=None,
    audit_action: str = "download",
    audit_detail: dict | None = None,
) -> HttpResponse:
    """Send a private file the caller has allowed `request.user` to read.

    Audited (`audit_action` on `audit_obj`, the detail holds no content); 404 when the file
    is missing or outside the private root.
    """
    from .services import audit_record

    try:
        path = private_path(name)
    except ValueError:
        raise Http404 from None
    if not path.is_file():
        raise Http404
    disposition = "attachment" if attachment else "inline"
    prefix = settings.PRIVATE_STORAGE_X_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
        response["Content-Disposition"] = (
            f"{disposition}; filename=\"{_ascii(filename)}\"; filename*=UTF-8''{quote(filename)}"
        )
    else:
        response = FileResponse(
            path.open("rb"), as_attachment=attachment, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    add_never_cache_headers(response)
    if audit_obj is not None:
        audit_record(
            actor=request.user,
            action=audit_action,
            obj=audit_obj,
            request=request,
            detail=audit_detail,
        )
    return response


def _ascii(filename: str) -> str:
    return filename.encode("ascii", "replace").decode().replace('"', "").replace("?", "_")
