"""PostgreSQL only: accent-insensitive text search configurations and one vector function.

``veille_french``, ``veille_english`` and ``veille_simple`` (unknown languages) are
copies of PostgreSQL's own whose words go through the ``unaccent`` dictionary before
being stemmed, so "hébergement" and "hebergement" give the same lexeme in documents and
in queries (the search parses queries with the same configurations). French stop words
are accented ("à", "été"): they are dropped first, by a stop-word-only dictionary that
passes every other word on (``veille_french_stop``), as ``french_stem`` would only see
them without their accents. ``unaccent`` is a trusted extension: the database owner may
create it.

``unaccent()`` the function is not IMMUTABLE and is not used here: the dictionary runs
inside ``to_tsvector`` — in the trigger, never in an index expression.

``veille_item_vector(language, title, excerpt, content)`` is the one definition of an
item's vector (title A, excerpt B, start of the content C), used by the trigger and by
the re-indexing of migration 0008. Keep the language mapping in step with
``veille.services.ingest.SEARCH_CONFIGS``.
"""

from django.db import migrations

# configuration: (copied from, dictionaries of its words in order)
UNACCENTED = {
    "veille_french": ("french", "veille_french_stop, unaccent, french_stem"),
    "veille_english": ("english", "unaccent, english_stem"),
    "veille_simple": ("simple", "unaccent, simple"),
}

FUNCTIONS = """
CREATE OR REPLACE FUNCTION veille_search_config(lang text) RETURNS regconfig AS $$
    SELECT (CASE lang
        WHEN 'fr' THEN 'veille_french'
        WHEN 'en' THEN 'veille_english'
        WHEN 'ar' THEN 'arabic'
        WHEN 'it' THEN 'italian'
        WHEN 'es' THEN 'spanish'
        WHEN 'de' THEN 'german'
        WHEN 'pt' THEN 'portuguese'
        ELSE 'veille_simple'
    END)::regconfig
$$ LANGUAGE sql STABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION veille_item_vector(
    lang text, title text, excerpt text, content text
) RETURNS tsvector AS $$
DECLARE
    cfg regconfig := veille_search_config(lang);
BEGIN
    RETURN setweight(to_tsvector(cfg, coalesce(title, '')), 'A')
        || setweight(to_tsvector(cfg, coalesce(excerpt, '')), 'B')
        || setweight(to_tsvector(cfg, left(coalesce(content, ''), 20000)), 'C');
END
$$ LANGUAGE plpgsql STABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION veille_item_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector := veille_item_vector(NEW.language, NEW.title, NEW.excerpt, NEW.content);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

# The function of migration 0003, restored when going back.
PREVIOUS_TRIGGER_FUNCTION = """
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


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for name in UNACCENTED:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
    schema_editor.execute("DROP TEXT SEARCH DICTIONARY IF EXISTS veille_french_stop")
    schema_editor.execute(
        "CREATE TEXT SEARCH DICTIONARY veille_french_stop "
        "(TEMPLATE = simple, STOPWORDS = french, ACCEPT = false)"
    )
    for name, (parent, dictionaries) in UNACCENTED.items():
        schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {parent})")
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR "
            f"word, hword, hword_part, numword, numhword, hword_numpart WITH {dictionaries}"
        )
    schema_editor.execute(FUNCTIONS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(PREVIOUS_TRIGGER_FUNCTION)
    schema_editor.execute("DROP FUNCTION IF EXISTS veille_item_vector(text, text, text, text)")
    schema_editor.execute("DROP FUNCTION IF EXISTS veille_search_config(text)")
    for name in UNACCENTED:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
    schema_editor.execute("DROP TEXT SEARCH DICTIONARY IF EXISTS veille_french_stop")


class Migration(migrations.Migration):
    dependencies = [("veille", "0008_signatures")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
