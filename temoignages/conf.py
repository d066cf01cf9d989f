"""Settings of the testimonies app, read in one place.

Their defaults are declared once, in the "Témoignages" block of
config/settings/base.py (which reads them from the environment); this module only
reads them, so a test that overrides a setting sees its value everywhere.
"""

from __future__ import annotations

import datetime

from django.conf import settings

RETENTION_ACTIONS = ("anonymise", "delete")


def retention_days() -> dict[str, int]:
    """Sensitivity → days kept after collection before anonymisation or deletion."""
    return settings.TEMOIGNAGES_RETENTION_DAYS


def retention_action() -> str:
    """ "anonymise" (keep a stripped skeleton for statistics) or "delete"."""
    action = settings.TEMOIGNAGES_RETENTION_ACTION
    return action if action in RETENTION_ACTIONS else "anonymise"


def media_max_bytes() -> dict[str, int]:
    """Upload limit per kind of medium (photo, audio, video, document), in bytes."""
    return settings.TEMOIGNAGES_MEDIA_MAX_BYTES


def max_image_pixels() -> int:
    """Larger images are refused as possible decompression bombs."""
    return int(settings.TEMOIGNAGES_MAX_IMAGE_PIXELS)


def ffmpeg_binary() -> str:
    """Path or name of ffmpeg; empty string disables metadata stripping of audio/video."""
    return settings.TEMOIGNAGES_FFMPEG_BINARY


def consent_default_months() -> int:
    """Validity of a consent when the officer gives no expiry date."""
    return int(settings.TEMOIGNAGES_CONSENT_DEFAULT_MONTHS)


def consent_expiring_days() -> int:
    return int(settings.TEMOIGNAGES_CONSENT_EXPIRING_DAYS)


def earliest_collection_date() -> datetime.date:
    """No testimony is collected before this day (the unit's records start later): an
    earlier date is a typo, refused at input."""
    return settings.TEMOIGNAGES_EARLIEST_COLLECTION_DATE
