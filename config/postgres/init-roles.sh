#!/usr/bin/env bash
# Creates Influence's database and its two PostgreSQL roles, then applies roles.sql.
# Run by the postgres image on its first start (docker-compose mounts it in
# /docker-entrypoint-initdb.d), or by hand as a superuser (`make db-roles`, with the
# usual PGHOST/PGPORT/PGUSER); running it again changes nothing but the passwords.
#
#   INFLUENCE_DB_NAME            database                         (default influence)
#   INFLUENCE_DB_OWNER           migration role, owns the tables  (default influence_owner)
#   INFLUENCE_DB_OWNER_PASSWORD  its password                     (required)
#   INFLUENCE_DB_APP             runtime role of web/worker/beat  (default influence_app)
#   INFLUENCE_DB_APP_PASSWORD    its password                     (required)
#   INFLUENCE_ROLES_SQL          path of roles.sql                (default: next to this file)
# A password can also come from a file named by <VARIABLE>_FILE (compose secrets).
set -euo pipefail

for var in INFLUENCE_DB_OWNER_PASSWORD INFLUENCE_DB_APP_PASSWORD; do
  file_var="${var}_FILE"
  if [ -n "${!file_var:-}" ]; then
    export "$var"="$(< "${!file_var}")"
  fi
done

db="${INFLUENCE_DB_NAME:-influence}"
owner="${INFLUENCE_DB_OWNER:-influence_owner}"
app="${INFLUENCE_DB_APP:-influence_app}"
owner_password="${INFLUENCE_DB_OWNER_PASSWORD:?set INFLUENCE_DB_OWNER_PASSWORD}"
app_password="${INFLUENCE_DB_APP_PASSWORD:?set INFLUENCE_DB_APP_PASSWORD}"
roles_sql="${INFLUENCE_ROLES_SQL:-$(dirname "$0")/roles.sql}"

psql=(psql -X -q -v ON_ERROR_STOP=1)
if [ -n "${POSTGRES_USER:-}" ]; then psql+=(--username "$POSTGRES_USER"); fi

"${psql[@]}" --dbname postgres \
  -v owner="$owner" -v owner_password="$owner_password" \
  -v app="$app" -v app_password="$app_password" -v dbname="$db" <<'SQL'
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') AS missing \gset
\if :missing
CREATE ROLE :"owner";
\endif
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app') AS missing \gset
\if :missing
CREATE ROLE :"app";
\endif
-- Neither can do more than its own database lets it: no superuser, no role or database
-- creation, no replication, no bypassing row-level security.
ALTER ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'owner_password';
ALTER ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    NOINHERIT PASSWORD :'app_password';
SELECT NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'dbname') AS missing \gset
\if :missing
CREATE DATABASE :"dbname" OWNER :"owner";
\endif
ALTER DATABASE :"dbname" OWNER TO :"owner";
SQL

"${psql[@]}" --dbname "$db" -v owner="$owner" -v runtime="$app" -v dbname="$db" \
  -f "$roles_sql"
echo "PostgreSQL roles ready: $owner (migrations, owner) and $app (runtime) on $db."
