"""PostgreSQL for the test suite: Django's backend, but emptied with DELETE between
transactional tests.

After each transactional test (live server, real Celery worker) Django empties every
table with one TRUNCATE of about a hundred tables. PostgreSQL gives each of them, and
each index, a new file: 0.7–1 s on an idle machine, for tables that hold a few rows by
then. DELETE empties them in about 35 ms; with the whole demo left behind (2,400 rows) in
100–130 ms, where the TRUNCATE takes 340–420 ms before its commit. The two meet at about
ten times the demo (19,000 rows, 330–380 ms each), far more than any test leaves. Django
creates its foreign keys DEFERRABLE INITIALLY DEFERRED, so the order of the DELETEs does
not matter within the flush's transaction.

A table with a trigger that refuses DELETE (the append-only audit log) is still
truncated; tests/conftest.py switches off its TRUNCATE guard in the test database.
config/settings/test.py uses this backend when DATABASE_URL is a PostgreSQL one.
"""

from django.db.backends.postgresql import base, operations

# pg_trigger.tgtype: the trigger fires on DELETE.
_ON_DELETE = 1 << 3


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        refusing = self._refusing_delete(tables)
        statements = ["SET CONSTRAINTS ALL DEFERRED"]
        if refusing:
            statements += super().sql_flush(style, refusing)
        statements += [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
            if table not in refusing
        ]
        return statements

    def _refusing_delete(self, tables) -> list[str]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND t.tgtype & %s <> 0"
                " AND c.relname = ANY(%s)",
                [_ON_DELETE, list(tables)],
            )
            return sorted(row[0] for row in cursor.fetchall())


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
