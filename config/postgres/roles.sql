-- Privileges of Influence's two PostgreSQL roles, applied in its database by a superuser
-- (init-roles.sh does it; psql variables: owner, runtime, dbname). Safe to run again.
--
--   owner    runs the migrations and owns every table, function and trigger: only it
--            (or a superuser) can ALTER, DROP, TRUNCATE or switch a trigger off.
--   runtime  is what web, worker and beat connect as: rows only (SELECT, INSERT,
--            UPDATE, DELETE) and, on the audit log, SELECT and INSERT only.
\set ON_ERROR_STOP on

REVOKE ALL ON DATABASE :"dbname" FROM PUBLIC;
GRANT CONNECT, CREATE, TEMPORARY ON DATABASE :"dbname" TO :"owner";
GRANT CONNECT, TEMPORARY ON DATABASE :"dbname" TO :"runtime";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO :"owner";
GRANT USAGE ON SCHEMA public TO :"runtime";

-- Every table and sequence the owner creates from now on (each migration).
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"runtime";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"runtime";

-- A database that already has tables (moved to separate roles later): the owner takes
-- over the tables, views and functions, and the runtime role gets the rights above.
SELECT format('ALTER TABLE public.%I OWNER TO %I', c.relname, :'owner')
FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
  AND pg_get_userbyid(c.relowner) <> :'owner'
  AND NOT EXISTS (SELECT 1 FROM pg_depend AS d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
\gexec
SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, :'owner')
FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
WHERE n.nspname = 'public'
  AND pg_get_userbyid(p.proowner) <> :'owner'
  AND NOT EXISTS (SELECT 1 FROM pg_depend AS d
                  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
\gexec
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"runtime";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"runtime";

-- The audit log: read and append only (migration core 0004 narrows it the same way when
-- the table is created after this script).
SELECT to_regclass('public.core_auditevent') IS NOT NULL AS has_audit_log \gset
\if :has_audit_log
REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON public.core_auditevent FROM :"runtime";
\endif
