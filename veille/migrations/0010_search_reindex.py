"""PostgreSQL only: every item re-indexed with migration 0007's vector, in batches, and
the GIN index split by language.

The vectors are recomputed ``BATCH`` rows at a time, each batch committed on its own
(the migration is not atomic), so a large table is never locked or rewritten in one
transaction and a run that stops half-way can simply be run again. The old single GIN
index is dropped first (cheaper updates) and replaced at the end by one partial index
per language group — French, English, Arabic, everything else — so that a word is only
looked up among the articles of the languages whose parse it is. Every row is in
exactly one of them: inserts cost what they cost with one index. Keep the language
groups in step with ``veille.selectors.search.INDEXED_LANGUAGES``.
"""

from django.db import migrations

BATCH = 5000
INDEXED_LANGUAGES = ("fr", "en", "ar")


def _partial_indexes() -> dict[str, str]:
    listed = ", ".join(f"'{code}'" for code in INDEXED_LANGUAGES)
    indexes = {
        f"veille_item_search_{code}_idx": f"language = '{code}'" for code in INDEXED_LANGUAGES
    }
    indexes["veille_item_search_other_idx"] = f"language NOT IN ({listed})"
    return indexes


def reindex(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS veille_item_search_idx")
        cursor.execute("SELECT min(id), max(id) FROM veille_item")
        low, high = cursor.fetchone()
        if low is not None:
            for start in range(low, high + 1, BATCH):
                cursor.execute(
                    "UPDATE veille_item SET search_vector = "
                    "veille_item_vector(language, title, excerpt, content) "
                    "WHERE id >= %s AND id < %s",
                    [start, start + BATCH],
                )
        for name, predicate in _partial_indexes().items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON veille_item "
                f"USING gin (search_vector) WHERE {predicate}"
            )
        # Every row was rewritten once: clear the old versions now rather than leave the
        # searches reading them until autovacuum comes (not possible inside a
        # transaction, where statistics are refreshed only).
        if getattr(schema_editor.connection, "in_atomic_block", True):
            cursor.execute("ANALYZE veille_item")
        else:
            cursor.execute("VACUUM (ANALYZE) veille_item")


def single_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in _partial_indexes():
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS veille_item_search_idx "
            "ON veille_item USING gin (search_vector)"
        )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("veille", "0009_search_unaccent")]

    operations = [migrations.RunPython(reindex, single_index, elidable=False)]
