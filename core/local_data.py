"""The folders of the embedded default (SQLite, Celery's filesystem broker, beat state).

Settings only name these paths; importing them creates nothing. Each process makes the
folders it may write into when Django starts (`CoreConfig.ready`), and only those the
configuration actually uses: with PostgreSQL and Redis nothing is created but the beat
schedule's folder.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def local_dirs() -> list[Path]:
    """The folders the current settings write into outside the database."""
    dirs: list[Path] = []
    database = settings.DATABASES["default"]
    name = str(database.get("NAME") or "")
    embedded = database["ENGINE"] == "django.db.backends.sqlite3"
    if embedded and name and ":memory:" not in name and not name.startswith("file:"):
        dirs.append(Path(name).parent)
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        for key in ("data_folder_in", "data_folder_out", "processed_folder"):
            if options.get(key):
                dirs.append(Path(options[key]))
    dirs.append(Path(settings.CELERY_BEAT_SCHEDULE_FILENAME).parent)
    # WhiteNoise warns about a missing STATIC_ROOT; only the embedded default's is made
    # here (a deployment fills its own with collectstatic).
    static_root = Path(settings.STATIC_ROOT)
    if static_root.is_relative_to(Path(settings.LOCAL_DATA_DIR)):
        dirs.append(static_root)
    return dirs


def prepare_local_dirs() -> None:
    for path in local_dirs():
        path.mkdir(parents=True, exist_ok=True)
