"""Attaching and removing media (photos, recordings, videos, documents)."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.files import private_delete

from ..media import store_upload
from ..models import MediaAttachment, Testimony, TestimonyEvent
from ..permissions import can_edit_content
from ._common import record_event


def media_attach(
    *,
    testimony: Testimony,
    upload,
    uploaded_by,
    caption: str = "",
    client_uuid: uuid.UUID | None = None,
) -> MediaAttachment:
    """Check, clean and store one file for `testimony` (see temoignages.media).

    Raises ValidationError({"file": [message]}) when the file is refused: too large,
    wrong or disguised type, polyglot, decompression bomb. Nothing is stored then.

    `client_uuid` is the file's id on the phone that kept it offline: sending the same
    file again returns the medium already stored (a retried upload adds nothing).
    """
    if not can_edit_content(uploaded_by, testimony):
        raise PermissionDenied
    if client_uuid is not None:
        existing = testimony.media.filter(client_uuid=client_uuid).first()
        if existing is not None:
            return existing
    try:
        stored = store_upload(upload=upload, folder=f"temoignages/{testimony.pk}")
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    try:
        with transaction.atomic():
            media = MediaAttachment(
                testimony=testimony,
                kind=stored.kind,
                storage_path=stored.storage_path,
                thumbnail_path=stored.thumbnail_path,
                original_name=(getattr(upload, "name", "") or "")[:255],
                caption=(caption or "").strip()[:200],
                mime_type=stored.mime_type,
                size_bytes=stored.size_bytes,
                sha256=stored.sha256,
                width=stored.width,
                height=stored.height,
                metadata_stripped=stored.metadata_stripped,
                uploaded_by=uploaded_by,
                client_uuid=client_uuid,
            )
            media.full_clean(validate_constraints=False)
            media.save(force_insert=True)
            record_event(
                testimony=testimony,
                kind=TestimonyEvent.Kind.MEDIA_ADDED,
                actor=uploaded_by,
                fields=[f"media:{stored.kind}"],
            )
    except BaseException as exc:
        private_delete(stored.storage_path)
        private_delete(stored.thumbnail_path)
        if isinstance(exc, IntegrityError) and client_uuid is not None:
            # The same file sent twice at once: the other request stored it.
            existing = testimony.media.filter(client_uuid=client_uuid).first()
            if existing is not None:
                return existing
        raise
    return media


def media_delete(*, media: MediaAttachment, user) -> None:
    """Remove a medium and its files from disk (after the row is gone)."""
    testimony = media.testimony
    if not can_edit_content(user, testimony):
        raise PermissionDenied
    paths = [media.storage_path, media.thumbnail_path]
    kind = media.kind
    with transaction.atomic():
        media.delete()
        record_event(
            testimony=testimony,
            kind=TestimonyEvent.Kind.MEDIA_REMOVED,
            actor=user,
            fields=[f"media:{kind}"],
        )
        transaction.on_commit(lambda: [private_delete(p) for p in paths])
