"""PostgreSQL restarted under a running gunicorn and worker: while it is down, pages fail
with the error page (no traceback, nothing half-done); once it is back, the same
processes serve the same session again and the worker finishes new jobs — nobody
restarts anything.

The test runs its own PostgreSQL cluster (initdb on a free port, as the postgres user),
loaded with a copy of the test database, so the machine's PostgreSQL stays up.
"""

from __future__ import annotations

import subprocess
import time

import psycopg
import pytest
from django.db import connection

from core.models import Role
from tests.processes import PG_BIN, PostgresCluster, csrf, database_url
from tests.reliability.conftest import PASSWORD, make_user
from tests.waiting import wait_until

pytestmark = pytest.mark.reliability

ERROR_PAGE = "Une erreur est survenue de notre côté"


def _copy_test_database(cluster: PostgresCluster, name: str) -> None:
    with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    dump = subprocess.Popen(
        [
            str(PG_BIN / "pg_dump"),
            "--no-owner",
            "--no-privileges",
            "--dbname",
            database_url(connection.settings_dict),
        ],
        stdout=subprocess.PIPE,
    )
    subprocess.run(
        [str(PG_BIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "--dbname", cluster.url(name)],
        stdin=dump.stdout,
        stdout=subprocess.DEVNULL,
        check=True,
        timeout=120,
    )
    assert dump.wait(timeout=30) == 0


def _render_note_pdf(client, cluster: PostgresCluster, note_pk: int) -> None:
    """Ask for the note's PDF and wait until the worker made a new one."""
    from core.models import PdfJob

    def newest() -> tuple[int, str] | None:
        with psycopg.connect(cluster.url("influence")) as conn:
            return conn.execute(
                "SELECT id, status FROM core_pdfjob WHERE object_id = %s ORDER BY id DESC",
                [str(note_pk)],
            ).fetchone()

    before = newest()
    page = client.get(f"/veille/notes/{note_pk}/")
    answer = client.post(f"/veille/notes/{note_pk}/pdf/", data={"csrfmiddlewaretoken": csrf(page)})
    assert answer.status_code == 302

    def ready() -> bool:
        row = newest()
        return bool(row) and row != before and row[1] == PdfJob.Status.READY

    wait_until(ready, timeout=60, what="the worker renders the note", interval=0.3)


def test_postgres_restart_gives_an_error_page_then_the_same_processes_recover(stack):
    from tests.veille.factories import AnalysisNoteFactory

    coordinator = make_user(Role.COORDINATOR, username="rel-coord")
    note = AnalysisNoteFactory(author=coordinator, title="Note après redémarrage")
    cluster = PostgresCluster()
    try:
        cluster.init()
        cluster.start()
        _copy_test_database(cluster, "influence")
        stack.database_url = cluster.url("influence")
        stack.start_web()
        stack.start_worker()
        client = stack.login("rel-coord", PASSWORD)
        assert client.get("/tableau-de-bord/").status_code == 200
        _render_note_pdf(client, cluster, note.pk)  # the worker now holds a connection

        cluster.stop()
        stopped_at = time.monotonic()
        for path in ("/tableau-de-bord/", "/veille/", f"/veille/notes/{note.pk}/"):
            page = client.get(path)
            assert page.status_code == 500, (path, page.status_code)
            assert ERROR_PAGE in page.text
            assert "Traceback" not in page.text
            assert "OperationalError" not in page.text
        assert client.get("/healthz").status_code == 500

        cluster.start()
        down_for = time.monotonic() - stopped_at
        back_at = time.monotonic()
        wait_until(
            lambda: client.get("/tableau-de-bord/").status_code == 200,
            timeout=30,
            what="dashboard served again",
            interval=0.2,
        )
        web_back = time.monotonic() - back_at
        # Every gunicorn worker has let go of its dead connection, the session survived.
        statuses = {client.get("/tableau-de-bord/").status_code for _ in range(6)}
        assert statuses == {200}
        # The worker's connection died too: its next job reconnects and succeeds.
        _render_note_pdf(client, cluster, note.pk)
        print(
            f"PostgreSQL down {down_for:.1f} s; web served again {web_back:.1f} s after the "
            f"restart, worker rendered {time.monotonic() - back_at:.1f} s after it"
        )
    finally:
        stack.close()
        cluster.destroy()
