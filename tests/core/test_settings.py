"""Settings are plain data: importing them creates nothing on disk."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

from core.local_data import local_dirs

ROOT = Path(settings.BASE_DIR)


def _run(code: str, local_dir: Path) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CELERY_BROKER_URL", "STATIC_ROOT")
    }
    env.update(LOCAL_DATA_DIR=str(local_dir), DJANGO_SETTINGS_MODULE="config.settings.local")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )


def test_importing_the_settings_creates_no_folder(tmp_path):
    local_dir = tmp_path / "local"

    for module in ("base", "local", "production", "test"):
        _run(
            "import importlib, os\n"
            "os.environ.setdefault('SECRET_KEY', 'x' * 50)\n"
            "os.environ.setdefault('ALLOWED_HOSTS', 'example.org')\n"
            "os.environ.setdefault('FIELD_ENCRYPTION_KEYS', 'k')\n"
            f"importlib.import_module('config.settings.{module}')",
            local_dir,
        )

    assert not local_dir.exists()


def test_the_embedded_default_gets_its_folders_when_django_starts(tmp_path):
    local_dir = tmp_path / "local"

    _run("import django; django.setup()", local_dir)

    assert (local_dir / "broker" / "queue").is_dir()
    assert (local_dir / "broker" / "processed").is_dir()
    assert (local_dir / "staticfiles").is_dir()
    assert not (local_dir / "db.sqlite3").exists()  # the folder only; SQLite makes the file


def test_with_postgresql_and_redis_no_database_or_broker_folder_is_named():
    assert connection.vendor == "postgresql"
    dirs = local_dirs()
    assert Path(settings.CELERY_BEAT_SCHEDULE_FILENAME).parent in dirs
    assert not any("broker" in path.parts for path in dirs)
