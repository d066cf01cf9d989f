"""Every user-facing string has its English translation (French is the source)."""

from pathlib import Path

import polib
import pytest
from django.conf import settings


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_english_catalogue_is_complete(domain):
    path = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / f"{domain}.po"
    catalogue = polib.pofile(str(path))

    missing = [
        e.msgid for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
    ]

    assert missing == [], (
        f"{len(missing)} entries to translate: run `manage.py translate --missing`"
    )
