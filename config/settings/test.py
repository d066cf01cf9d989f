"""The test suite: real PostgreSQL and Redis on this machine unless told otherwise."""

from .base import *
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/influence"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, emptied faster between transactional tests (see its docstring).
    DATABASES["default"]["ENGINE"] = "tests.postgresql"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
# Parallel runs (pytest-xdist): each worker process sends to and consumes from queues of
# its own on the shared test broker, so one worker's tasks never reach another's database.
_RUNNER = env.str("PYTEST_XDIST_WORKER", default="")
_SUFFIX = f"-{_RUNNER}" if _RUNNER else ""
CELERY_TASK_DEFAULT_QUEUE = f"celery{_SUFFIX}"
CELERY_TASK_ROUTES = {"*.tasks.render_*": {"queue": f"pdf{_SUFFIX}"}}
TEST_CELERY_QUEUES = [CELERY_TASK_DEFAULT_QUEUE, f"pdf{_SUFFIX}"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Fast hashing for the suite; tests of the real hashers use base.PASSWORD_HASHERS.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REQUIRE_2FA = False
FIELD_ENCRYPTION_KEYS = [
    "dGVzdC1lbmNyeXB0aW9uLWtleS0wMDAwMDAwMDAwMDA=",
]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
