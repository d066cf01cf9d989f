"""Fault injection with real processes: each test starts its own Redis, gunicorn and Celery
worker (tests/processes.py) on the suite's test database, breaks one of them, and checks
what the users and the database see.

These tests carry the `reliability` marker: `make test-postgres` leaves them out and
`make test-reliability` (called by `make test-exhaustive`, which CI runs) runs them alone.

Timings: the processes hold leases of JOB_LEASE_SECONDS=3 and re-send queued jobs after
JOB_REQUEUE_AFTER_SECONDS=4, so a dead worker's job is taken over within seconds; every
wait polls a state with a deadline.
"""

from __future__ import annotations

import logging
import time

import pytest
from django.db import connection

from tests.processes import Stack, database_url, password_hash

LEASE_SECONDS = 3
REQUEUE_SECONDS = 4
PASSWORD = "reliability-password-2026"

logging.getLogger("httpx").setLevel(logging.WARNING)


@pytest.fixture
def stack(transactional_db, tmp_path, request):
    """Redis started; gunicorn and workers are started by the test (`stack.start_web()`,
    `stack.start_worker()`). Everything is stopped at the end, whatever happened."""
    stack = Stack(
        tmp_path,
        database_url=database_url(connection.settings_dict),
        env={
            "JOB_LEASE_SECONDS": str(LEASE_SECONDS),
            "JOB_REQUEUE_AFTER_SECONDS": str(REQUEUE_SECONDS),
            "VEILLE_FETCH_READ_TIMEOUT": "60",
            "VEILLE_FETCH_TOTAL_TIMEOUT": "90",
        },
    )
    started = time.monotonic()
    try:
        stack.start_redis()
        yield stack
    finally:
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            print(stack.logs())
        stack.close()
        print(f"\n[{request.node.name}] {time.monotonic() - started:.1f} s")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def make_user(role: str, *, username: str, **scope):
    """A user whose password the processes can check (see `password_hash`)."""
    from core.models import User
    from tests.core.factories import user_with_role

    user = user_with_role(role, username=username, **scope)
    User.objects.filter(pk=user.pk).update(password=password_hash(PASSWORD))
    return user
