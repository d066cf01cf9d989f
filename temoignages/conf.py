"""Settings of the testimonies app, with their defaults.

Every value can be overridden in Django settings (see the "temoignages" block at the end
of config/settings/base.py, which reads them from the environment).
"""

from __future__ import annotations

from django.conf import settings

MB = 1024 * 1024

_DEFAULT_RETENTION_DAYS = {
    # Sensitivity → days kept after collection before anonymisation or deletion.
    "standard": 5 * 365,
    "confidential": 3 * 365,
    "strict": 2 * 365,
}
_DEFAULT_MEDIA_MAX_BYTES = {
    "photo": 15 * MB,
    "audio": 50 * MB,
    "video": 200 * MB,
    "document": 20 * MB,
}


def retention_days() -> dict[str, int]:
    return {**_DEFAULT_RETENTION_DAYS, **getattr(settings, "TEMOIGNAGES_RETENTION_DAYS", {})}


def retention_action() -> str:
    """ "anonymise" (keep a stripped skeleton for statistics) or "delete"."""
    action = getattr(settings, "TEMOIGNAGES_RETENTION_ACTION", "anonymise")
    return action if action in ("anonymise", "delete") else "anonymise"


def media_max_bytes() -> dict[str, int]:
    return {**_DEFAULT_MEDIA_MAX_BYTES, **getattr(settings, "TEMOIGNAGES_MEDIA_MAX_BYTES", {})}


def max_image_pixels() -> int:
    """Larger images are refused as possible decompression bombs."""
    return int(getattr(settings, "TEMOIGNAGES_MAX_IMAGE_PIXELS", 50_000_000))


def ffmpeg_binary() -> str:
    """Path or name of ffmpeg; empty string disables metadata stripping of audio/video."""
    return getattr(settings, "TEMOIGNAGES_FFMPEG_BINARY", "ffmpeg")


def consent_default_months() -> int:
    """Validity of a consent when the officer gives no expiry date."""
    return int(getattr(settings, "TEMOIGNAGES_CONSENT_DEFAULT_MONTHS", 24))


def consent_expiring_days() -> int:
    return int(getattr(settings, "TEMOIGNAGES_CONSENT_EXPIRING_DAYS", 30))
