"""Fixtures shared by every app's tests.

- users by role: `coordinator`, `advocacy_fr`, `advocacy_ly`, `field_calais`,
  `field_marseille`, `communication`, `viewer`, and `client_for(user)`;
- `celery_worker`: a real Celery worker thread consuming from the test Redis broker;
- transactional tests must keep the reference data: use
  `@pytest.mark.django_db(transaction=True, serialized_rollback=True)`;
- `demo_data`: the demo data (`seed_demo`) made once for a module's database tests;
- `private_root`: every test's private files go to a temporary folder of its own;
- the browser fixtures and helpers (`page`, `phone_page`, `sign_in`, `login`,
  `assert_clean`) live in tests/browser.py;
- waiting for what a worker does: `tests/waiting.py`'s `wait_until`.
"""

import pytest
from django.conf import settings

from core.models import Role
from tests.core.factories import user_with_role

pytest_plugins = ["tests.browser"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Let transactional tests empty the suite's own database.

    Django empties it with TRUNCATE after each transactional test, which the audit log's
    statement trigger refuses (core migration 0004). The trigger is switched off in the
    test database only; tests/core/test_auth.py switches it back on to prove it works.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_truncate"
                )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a dashboard aggregate cached by an earlier test
    (say, an empty week-by-theme chart) must not decide what a later test sees."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def private_root(request):
    """Each test writes its private files (media, consent forms, PDFs, imports) in a
    temporary folder of its own, never in the `.local/private` that `make run` uses; the
    tests using `demo_data` share their module's, where the demo's photos are."""
    from django.conf import settings as django_settings

    if "demo_data" in request.fixturenames:
        return django_settings.PRIVATE_STORAGE_ROOT
    settings = request.getfixturevalue("settings")
    settings.PRIVATE_STORAGE_ROOT = request.getfixturevalue("tmp_path") / "private"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in English leaves English active
    in its thread (LocaleMiddleware activates a language, nothing switches it back)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


_demo_module = None


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )


@pytest.fixture(scope="module")
def demo_data(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data of `make run`, made once for the tests of a module (2.5 s each time).

    It is seeded in a transaction left open while the module's tests run, and rolled back
    after the last one: each test still runs in a transaction of its own (a savepoint in
    this one), so what a test changes is gone before the next. For database tests that
    are not transactional (a transactional test empties the database: it seeds its own).
    Its private files (the testimonies' photos) live in a folder of the module's.
    """
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    global _demo_module
    private = override_settings(PRIVATE_STORAGE_ROOT=tmp_path_factory.mktemp("demo") / "private")
    private.enable()
    with django_db_blocker.unblock():
        seeded = transaction.atomic()
        seeded.__enter__()
        call_command("seed_demo", quiet_logins=True, verbosity=0)
    _demo_module = request.module.__name__
    try:
        yield
    finally:
        _demo_module = None
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            seeded.__exit__(None, None, None)
        private.disable()


@pytest.fixture(autouse=True)
def _nothing_else_while_demo_data_is_loaded(request):
    """A module's demo data stays until its last test: a test after the first one that
    asks for it would see it without asking (or empty it, if transactional)."""
    if _demo_module is not None and (
        "demo_data" not in request.fixturenames or _transactional(request)
    ):
        pytest.fail(
            f"{request.node.nodeid} runs while {_demo_module}'s demo data is loaded: "
            "put the tests that use demo_data after the others in the module"
        )


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Transactional tests run on a database that an earlier one may have emptied.

    Reload the reference data (idempotent) so every test sees countries, sites, themes.
    """
    if not _transactional(request):
        return
    request.getfixturevalue("transactional_db")
    from core.models import Country, Site, Theme
    from core.reference_data import load

    load(Country, Site, Theme)


@pytest.fixture
def coordinator(db):
    return user_with_role(Role.COORDINATOR, username="coord", first_name="Camille")


@pytest.fixture
def advocacy_fr(db):
    return user_with_role(Role.ADVOCACY_OFFICER, country_code="FR", username="adv-fr")


@pytest.fixture
def advocacy_ly(db):
    return user_with_role(Role.ADVOCACY_OFFICER, country_code="LY", username="adv-ly")


@pytest.fixture
def field_calais(db):
    return user_with_role(Role.FIELD_COMMS, site_codes=["calais"], username="field-calais")


@pytest.fixture
def field_marseille(db):
    return user_with_role(Role.FIELD_COMMS, site_codes=["marseille"], username="field-mrs")


@pytest.fixture
def communication(db):
    return user_with_role(Role.COMMUNICATION, username="comms")


@pytest.fixture
def viewer(db):
    return user_with_role(Role.VIEWER, username="viewer")


@pytest.fixture
def client_for(client):
    """`client_for(user)` → a test client logged in as `user`."""

    def make(user):
        client.force_login(user)
        return client

    return make


@pytest.fixture
def celery_worker(transactional_db, django_db_serialized_rollback):
    """A real worker (solo pool, in a thread) on the test broker for the test's duration.

    Transactional tests empty the database afterwards; serialized rollback restores the
    reference data (countries, sites, themes) that the data migrations created.
    """
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with start_worker(
        app,
        pool="solo",
        perform_ping_check=False,
        shutdown_timeout=10,
        loglevel="WARNING",
        queues=settings.TEST_CELERY_QUEUES,
    ) as worker:
        yield worker
