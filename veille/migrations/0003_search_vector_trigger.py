"""PostgreSQL only: Item.search_vector is computed by a trigger as rows are written.

The vector uses the text search configuration of the item's language (french, english,
arabic, italian, spanish, german, portuguese — all ship with PostgreSQL 15 — else
simple): title (weight A), excerpt (B) and the start of the content (C). Computing it in
the INSERT itself avoids writing every new row a second time. Keep the mapping in step
with veille.pipeline.SEARCH_CONFIGS.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION veille_item_search_vector() RETURNS trigger AS $$
DECLARE
    cfg regconfig;
BEGIN
    cfg := CASE NEW.language
        WHEN 'fr' THEN 'french'
        WHEN 'en' THEN 'english'
        WHEN 'ar' THEN 'arabic'
        WHEN 'it' THEN 'italian'
        WHEN 'es' THEN 'spanish'
        WHEN 'de' THEN 'german'
        WHEN 'pt' THEN 'portuguese'
        ELSE 'simple'
    END::regconfig;
    NEW.search_vector :=
        setweight(to_tsvector(cfg, coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector(cfg, coalesce(NEW.excerpt, '')), 'B')
        || setweight(to_tsvector(cfg, left(coalesce(NEW.content, ''), 20000)), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER veille_item_search_vector_trg
BEFORE INSERT OR UPDATE OF title, excerpt, content, language ON veille_item
FOR EACH ROW EXECUTE FUNCTION veille_item_search_vector();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
        schema_editor.execute("DROP TRIGGER IF EXISTS veille_item_search_vector_trg ON veille_item")
        schema_editor.execute(TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS veille_item_search_vector_trg ON veille_item")
        schema_editor.execute("DROP FUNCTION IF EXISTS veille_item_search_vector()")


class Migration(migrations.Migration):
    dependencies = [("veille", "0002_search_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
