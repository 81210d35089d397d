-- Roles and grants for a PostgreSQL database that several tlsrpt collectors share.
-- docs/OPERATIONS.md ("PostgreSQL: several collectors, one database") explains the set-up.
--
-- Run it as a superuser (or a role with CREATEROLE and CREATEDB) with psql:
--   sudo -u postgres psql -v ON_ERROR_STOP=1 -f postgres-roles.sql
-- once before the first start, and again after the owner's first start and after each upgrade: it only
-- adds what is missing, and the second run grants the reader the views the first start created.
-- It sets no passwords; give each role one without writing it down anywhere:
--   sudo -u postgres psql -c '\password tlsrpt_writer'        (and tlsrpt_owner, tlsrpt_reader)

-- tlsrpt_owner owns the database and everything in it. Only it creates and changes tables: tlsrpt runs
-- the migrations when it first connects as this role (the first start, and the first start after an
-- upgrade). No collector logs in as it.
SELECT 'CREATE ROLE tlsrpt_owner LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tlsrpt_owner')
\gexec
-- tlsrpt_writer: the collectors (serve, watch, ingest) and the commands people run (summary, reports,
-- prune, ...). It reads and writes rows, and cannot create, change or drop a table.
SELECT 'CREATE ROLE tlsrpt_writer LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tlsrpt_writer')
\gexec
-- tlsrpt_reader: dashboards (Grafana, Metabase, psql). It reads the tlsrpt_* views, nothing else.
SELECT 'CREATE ROLE tlsrpt_reader LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tlsrpt_reader')
\gexec

-- UTF-8, whatever the server's default: reports carry names in any script.
SELECT 'CREATE DATABASE tlsrpt OWNER tlsrpt_owner ENCODING ''UTF8'' TEMPLATE template0'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'tlsrpt')
\gexec

\connect tlsrpt

-- Every role may connect to a new database; here only these three may.
REVOKE ALL ON DATABASE tlsrpt FROM PUBLIC;
GRANT CONNECT ON DATABASE tlsrpt TO tlsrpt_writer, tlsrpt_reader;

-- Only the owner creates tables. (PostgreSQL 15 already refuses other roles; up to 14 every role may.)
ALTER SCHEMA public OWNER TO tlsrpt_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- The writer may read and write the rows of every table the owner creates, now and in later migrations,
-- and take ids from its sequences; so an upgrade needs no new grant for it.
ALTER DEFAULT PRIVILEGES FOR ROLE tlsrpt_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tlsrpt_writer;
ALTER DEFAULT PRIVILEGES FOR ROLE tlsrpt_owner IN SCHEMA public
    GRANT USAGE ON SEQUENCES TO tlsrpt_writer;
-- The same for tables that exist already (none on the first run).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO tlsrpt_writer;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO tlsrpt_writer;

-- The reader may read the tlsrpt_* views: none before the owner's first start, perhaps new ones after an
-- upgrade, which is why the script runs again then. Not the tables: rejection holds whole rejected mails
-- and bodies from strangers, alert_delivery the webhook URLs with their secrets. For dashboards that need
-- more, grant it by hand: GRANT SELECT ON report, policy, failure TO tlsrpt_reader;
SELECT format('GRANT SELECT ON %I.%I TO tlsrpt_reader', schemaname, viewname)
FROM pg_views WHERE schemaname = 'public' AND viewname LIKE 'tlsrpt\_%'
\gexec
