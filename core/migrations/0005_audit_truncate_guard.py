"""The audit log cannot be emptied: TRUNCATE is refused, and only its owner may change it.

A row trigger does not fire on TRUNCATE, so a statement trigger refuses it (even for
the owner, as long as the trigger is on). Then every role but the table's owner loses
UPDATE, DELETE, TRUNCATE, TRIGGER and REFERENCES on it: the runtime role gets the
table's other rights from the owner's default privileges (config/postgres/roles.sql),
and keeps only SELECT and INSERT here.
"""

from django.db import migrations

FORBID_TRUNCATE = """
CREATE TRIGGER core_auditevent_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_append_only();
"""

ALLOW_TRUNCATE = "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;"

# Every grantee but the owner (PUBLIC included) keeps at most SELECT and INSERT.
NARROW_GRANTS = """
DO $do$
DECLARE
    grantee_name text;
BEGIN
    FOR grantee_name IN
        SELECT DISTINCT CASE WHEN acl.grantee = 0 THEN 'PUBLIC'
                             ELSE quote_ident(pg_get_userbyid(acl.grantee)) END
        FROM pg_class AS c, aclexplode(c.relacl) AS acl
        WHERE c.oid = 'core_auditevent'::regclass
          AND acl.grantee <> c.relowner
          AND acl.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'REFERENCES')
    LOOP
        EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON core_auditevent FROM '
            || grantee_name;
    END LOOP;
END
$do$;
"""


def forbid(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID_TRUNCATE)
        schema_editor.execute(NARROW_GRANTS)


def allow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_TRUNCATE)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_pdfjob")]

    operations = [migrations.RunPython(forbid, allow)]
