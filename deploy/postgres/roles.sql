-- Least privilege for Ledgerline's PostgreSQL read database (read models and the key table).
--
-- Two login roles:
--   owner    owns the schema and every table in it; migrations run as this role
--            (`npm run db:migrate`, `npm run projections:rebuild`; docker-compose's db-migrate).
--   runtime  the API's and the worker's READ_DB_URL: SELECT, INSERT, UPDATE, DELETE on the tables,
--            nothing else (no CREATE, ALTER, DROP, TRUNCATE, no temporary tables, no new schemas).
--
-- Run as a superuser (or a role with CREATEROLE that owns the database), once per database; it is
-- safe to run again:
--   psql "postgres://postgres@db:5432/ledgerline" -v ON_ERROR_STOP=1 \
--     -v owner=ledgerline_owner -v runtime=ledgerline_app -v schema=ledgerline \
--     -f deploy/postgres/roles.sql
-- Passwords are never in this file: set them afterwards with `\password ledgerline_owner` and
-- `\password ledgerline_app` (scram-sha-256), or run init-roles.sh, which runs this file and sets
-- both from secret files; require TLS for both in pg_hba.conf.
\set ON_ERROR_STOP on

SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS', :'owner')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS', :'runtime')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'runtime') \gexec

-- The database: only these roles connect, and nobody by default creates schemas or temporary tables.
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()) \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I, %I', current_database(), :'owner', :'runtime') \gexec
SELECT format('REVOKE CREATE, TEMPORARY ON DATABASE %I FROM %I', current_database(), :'runtime') \gexec
-- `public` is nobody's workspace (PostgreSQL 15 already revokes CREATE there; older ones do not).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- The schema belongs to the owner; the runtime role may only look tables up in it.
CREATE SCHEMA IF NOT EXISTS :"schema" AUTHORIZATION :"owner";
ALTER SCHEMA :"schema" OWNER TO :"owner";
REVOKE ALL ON SCHEMA :"schema" FROM PUBLIC;
GRANT USAGE ON SCHEMA :"schema" TO :"runtime";

-- Data access on every table the owner has created and will create (migrations add tables later).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA :"schema" TO :"runtime";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA :"schema" TO :"runtime";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA :"schema" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"runtime";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA :"schema" GRANT USAGE, SELECT ON SEQUENCES TO :"runtime";

-- Both find the tables unqualified (the read-model SQL never names a schema), in this database only.
SELECT format('ALTER ROLE %I IN DATABASE %I SET search_path = %I', :'owner', current_database(), :'schema') \gexec
SELECT format('ALTER ROLE %I IN DATABASE %I SET search_path = %I', :'runtime', current_database(), :'schema') \gexec
