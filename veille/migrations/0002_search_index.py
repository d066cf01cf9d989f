"""PostgreSQL only: the GIN index on Item.search_vector.

Kept out of the model's Meta so the embedded SQLite default still migrates (SQLite has
no GIN). The text search configurations used per language (french, english, arabic,
italian, spanish, simple) ship with PostgreSQL 15.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS veille_item_search_idx "
            "ON veille_item USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS veille_item_search_idx")


class Migration(migrations.Migration):
    dependencies = [("veille", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
