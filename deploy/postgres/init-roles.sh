#!/usr/bin/env bash
# PostgreSQL first-start hook for docker-compose (mounted into /docker-entrypoint-initdb.d): runs
# roles.sql for the Ledgerline database, then sets the two roles' passwords from secret files.
# Inputs: POSTGRES_USER / POSTGRES_DB (the image's superuser and database), LEDGERLINE_OWNER_ROLE,
# LEDGERLINE_RUNTIME_ROLE, LEDGERLINE_SCHEMA, and the password files LEDGERLINE_OWNER_PASSWORD_FILE,
# LEDGERLINE_RUNTIME_PASSWORD_FILE. Also usable by hand against any server (PGHOST etc.).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sql=${LEDGERLINE_ROLES_SQL:-$here/roles.sql}
[ -f "$sql" ] || sql=/etc/ledgerline/roles.sql
owner=${LEDGERLINE_OWNER_ROLE:-ledgerline_owner}
runtime=${LEDGERLINE_RUNTIME_ROLE:-ledgerline_app}
schema=${LEDGERLINE_SCHEMA:-ledgerline}
psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}")

"${psql[@]}" -v owner="$owner" -v runtime="$runtime" -v schema="$schema" -f "$sql"
# Passwords are read by psql itself (backquote expansion of \set), never on a command line or in a log.
for pair in "$owner:${LEDGERLINE_OWNER_PASSWORD_FILE:-}" "$runtime:${LEDGERLINE_RUNTIME_PASSWORD_FILE:-}"; do
  role=${pair%%:*} file=${pair#*:}
  if [ -z "$file" ]; then echo "init-roles: no password file for $role (set it with \\password)"; continue; fi
  [ -s "$file" ] || { echo "init-roles: $file is missing or empty" >&2; exit 1; }
  "${psql[@]}" --quiet -v role="$role" >/dev/null <<SQL
\\set password \`tr -d '\\n' < '$file'\`
SELECT format('ALTER ROLE %I PASSWORD %L', :'role', :'password') \\gexec
SQL
done
echo "init-roles: $owner owns schema $schema; $runtime has data access only"
