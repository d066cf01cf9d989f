"""The audit log cannot be wiped with the application's own database credentials.

The roles are set up exactly as docker-compose does it (config/postgres/init-roles.sh),
in a database of their own; migrations run as the owner role, then the runtime role —
what web, worker and beat connect as — tries every way of erasing the log. Roles are
cluster-wide: this test creates its own, with unique names, and drops them.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import errors, sql

ROOT = Path(settings.BASE_DIR)
INIT_ROLES = ROOT / "config" / "postgres" / "init-roles.sh"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL roles and privileges"
)


def _server() -> dict:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": str(db.get("PORT") or 5432),
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or "",
    }


def _admin(server, dbname="postgres"):
    return psycopg.connect(
        host=server["host"],
        port=server["port"],
        user=server["user"],
        password=server["password"] or None,
        dbname=dbname,
        autocommit=True,
    )


@pytest.fixture
def separate_roles(tmp_path):
    server = _server()
    with _admin(server) as admin:
        superuser = admin.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not superuser.fetchone()[0]:
            pytest.skip("creating roles needs a superuser connection")
    suffix = secrets.token_hex(5)
    names = {
        "db": f"influence_roles_{suffix}",
        "owner": f"influence_t{suffix}_owner",
        "app": f"influence_t{suffix}_app",
        "owner_password": secrets.token_hex(16),
        "app_password": secrets.token_hex(16),
    }
    owner_password_file = tmp_path / "db-owner-password"
    owner_password_file.write_text(names["owner_password"] + "\n")
    env = {
        **os.environ,
        "PGHOST": server["host"],
        "PGPORT": server["port"],
        "PGUSER": server["user"],
        "INFLUENCE_DB_NAME": names["db"],
        "INFLUENCE_DB_OWNER": names["owner"],
        # As docker-compose passes it: a secret file.
        "INFLUENCE_DB_OWNER_PASSWORD_FILE": str(owner_password_file),
        "INFLUENCE_DB_APP": names["app"],
        "INFLUENCE_DB_APP_PASSWORD": names["app_password"],
    }
    if server["password"]:
        env["PGPASSWORD"] = server["password"]
    try:
        subprocess.run(["bash", str(INIT_ROLES)], env=env, check=True, capture_output=True)
        yield names, env, server
    finally:
        with _admin(server) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(names["db"])
                )
            )
            for role in (names["app"], names["owner"]):
                admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def _url(names, server, role) -> str:
    return (
        f"postgres://{names[role]}:{names[role + '_password']}"
        f"@{server['host']}:{server['port']}/{names['db']}"
    )


def _connect_as(names, server, role):
    return psycopg.connect(
        host=server["host"],
        port=server["port"],
        dbname=names["db"],
        user=names[role],
        password=names[role + "_password"],
        autocommit=True,
    )


PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES")


def _privileges_of_app(names, server) -> dict[str, set[str]]:
    with _admin(server, names["db"]) as admin:
        return {
            table: {
                privilege
                for privilege in PRIVILEGES
                if admin.execute(
                    "SELECT has_table_privilege(%s, %s, %s)", (names["app"], table, privilege)
                ).fetchone()[0]
            }
            for table in ("core_auditevent", "django_session", "veille_item")
        }


RUNTIME_PRIVILEGES = {
    "core_auditevent": {"SELECT", "INSERT"},
    "django_session": {"SELECT", "INSERT", "UPDATE", "DELETE"},
    "veille_item": {"SELECT", "INSERT", "UPDATE", "DELETE"},
}


def test_the_runtime_role_cannot_update_delete_truncate_or_disable_the_audit_trigger(
    separate_roles,
):
    names, env, server = separate_roles
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _url(names, server, "owner"),
        },
        check=True,
        capture_output=True,
    )
    # Tables created by the owner's migrations: rows for the runtime role, and only
    # reading and appending on the audit log (core 0004 narrows the default privileges).
    assert _privileges_of_app(names, server) == RUNTIME_PRIVILEGES
    # Running the set-up again (an existing database) must not widen anything.
    subprocess.run(["bash", str(INIT_ROLES)], env=env, check=True, capture_output=True)
    assert _privileges_of_app(names, server) == RUNTIME_PRIVILEGES

    with _connect_as(names, server, "app") as app:
        # What the application needs: rows of ordinary tables, appending to the log.
        app.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date)"
            " VALUES ('roles-test', '', now())"
        )
        app.execute("UPDATE django_session SET session_data = 'x' WHERE session_key = 'roles-test'")
        app.execute("DELETE FROM django_session WHERE session_key = 'roles-test'")
        app.execute(
            "INSERT INTO core_auditevent (created_at, actor_label, action, object_type,"
            " object_id, detail) VALUES (now(), 'test', 'view', 'x', '1', '{}')"
        )
        assert app.execute("SELECT count(*) FROM core_auditevent").fetchone()[0] == 1

        # A role cannot grant itself more: PostgreSQL only warns that nothing was granted.
        app.execute("GRANT UPDATE, DELETE, TRUNCATE ON core_auditevent TO CURRENT_USER")
        attempts = {
            "update": "UPDATE core_auditevent SET action = 'export'",
            "delete": "DELETE FROM core_auditevent",
            "truncate": "TRUNCATE core_auditevent",
            "disable trigger": "ALTER TABLE core_auditevent DISABLE TRIGGER ALL",
            "disable one trigger": (
                "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update_delete"
            ),
            "replica mode": "SET session_replication_role = replica",
            "drop trigger": "DROP TRIGGER core_auditevent_no_update_delete ON core_auditevent",
            "replace function": (
                "CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger"
                " AS $$ BEGIN RETURN OLD; END; $$ LANGUAGE plpgsql"
            ),
            "drop table": "DROP TABLE core_auditevent",
            "rename table": "ALTER TABLE core_auditevent RENAME TO old_audit",
            "create table": "CREATE TABLE core_auditevent_copy (id int)",
        }
        refused = {}
        for what, statement in attempts.items():
            try:
                app.execute(statement)
            except errors.InsufficientPrivilege:
                refused[what] = True
            else:
                refused[what] = False
        assert refused == dict.fromkeys(attempts, True)
        role = app.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles"
            " WHERE rolname = current_user"
        ).fetchone()
        assert role == (False, False, False, False)
        assert app.execute("SELECT count(*) FROM core_auditevent").fetchone()[0] == 1

    # Even the owner role (migrations) cannot TRUNCATE while the trigger is on.
    with _connect_as(names, server, "owner") as owner, pytest.raises(errors.RaiseException):
        owner.execute("TRUNCATE core_auditevent")
