# The lint's statement corpus: every entry is one migration, linted alone for an expand release, with the exact set
# of rules it must break ("allow": none). Options after ";": contract=<rules|allow> (the verdict in a contract
# release), neighbour=<rule> (the allowed form next to that rule's refused one), backfill (a backfill migration).
# Every statement here is also parsed by PostgreSQL's own parser (LibpgQueryAgreementTest), which must agree on
# the statement's kind and the relations it acts on. Tables not created in an entry are existing, live tables.
# Lines starting with "# " are comments.

# --- rewrites and scans under a strong lock -----------------------------------------------------------------------
=== changing-column-type; contract=changing-column-type
ALTER TABLE notes ALTER COLUMN body TYPE varchar(10)
=== changing-column-type
ALTER TABLE notes ALTER COLUMN id SET DATA TYPE integer
=== changing-column-type
ALTER TABLE "App"."Notes" ALTER "Body" TYPE text USING "Body"::text
=== changing-column-type
ALTER TABLE notes ALTER COLUMN body TYPE text COLLATE "C"
=== allow; neighbour=changing-column-type
ALTER TABLE notes ALTER COLUMN body TYPE text
=== adding-field-with-volatile-default
ALTER TABLE notes ADD COLUMN token uuid DEFAULT gen_random_uuid()
=== adding-field-with-volatile-default
ALTER TABLE notes ADD COLUMN r float8 DEFAULT (random() * 10)
=== adding-field-with-volatile-default
ALTER TABLE notes ADD COLUMN seq bigserial
=== adding-field-with-volatile-default
alter table public.notes add column n bigint generated always as identity
=== adding-field-with-volatile-default
ALTER TABLE notes ADD COLUMN body_len int GENERATED ALWAYS AS (length(body)) STORED
=== adding-field-with-volatile-default
ALTER TABLE notes ADD COLUMN score int DEFAULT app.next_score()
=== allow; neighbour=adding-field-with-volatile-default
ALTER TABLE notes ADD COLUMN created timestamptz DEFAULT now()
=== allow
ALTER TABLE notes ADD COLUMN status text NOT NULL DEFAULT 'new'
=== adding-required-field
ALTER TABLE notes ADD COLUMN author text NOT NULL
=== allow; neighbour=adding-required-field
ALTER TABLE notes ADD COLUMN author text
=== setting-not-null; contract=setting-not-null
ALTER TABLE notes ALTER COLUMN body SET NOT NULL
=== setting-not-null; contract=allow; neighbour=setting-not-null
ALTER TABLE notes ADD CONSTRAINT body_nn CHECK (body IS NOT NULL) NOT VALID;
ALTER TABLE notes VALIDATE CONSTRAINT body_nn;
ALTER TABLE notes ALTER COLUMN body SET NOT NULL
=== disallowed-unique-constraint
ALTER TABLE notes ADD CONSTRAINT u UNIQUE (body)
=== disallowed-unique-constraint
ALTER TABLE notes ADD PRIMARY KEY (id)
=== disallowed-unique-constraint
ALTER TABLE rooms ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&)
=== allow; neighbour=disallowed-unique-constraint
ALTER TABLE notes ADD CONSTRAINT notes_pkey PRIMARY KEY USING INDEX notes_id_key
=== table-rewrite
ALTER TABLE notes SET TABLESPACE fast_disk
=== table-rewrite
ALTER TABLE notes SET UNLOGGED
=== table-rewrite
ALTER TABLE ALL IN TABLESPACE pg_default SET TABLESPACE fast_disk
=== allow; neighbour=table-rewrite
ALTER TABLE notes SET (autovacuum_vacuum_scale_factor = 0.01)
=== attach-partition
ALTER TABLE measurements ATTACH PARTITION measurements_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')
=== allow; neighbour=attach-partition
CREATE TABLE measurements_2027 PARTITION OF measurements FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')

# --- constraints validated as they are added ------------------------------------------------------------------------
=== adding-not-valid-constraint
ALTER TABLE notes ADD CONSTRAINT fk FOREIGN KEY (author) REFERENCES authors (id)
=== adding-not-valid-constraint
ALTER TABLE notes ADD CONSTRAINT positive CHECK (id > 0)
=== adding-not-valid-constraint
ALTER TABLE notes ADD COLUMN author_id bigint REFERENCES authors (id)
=== adding-not-valid-constraint
ALTER DOMAIN email ADD CONSTRAINT has_at CHECK (VALUE LIKE '%@%')
=== allow; neighbour=adding-not-valid-constraint
ALTER TABLE notes ADD CONSTRAINT fk FOREIGN KEY (author) REFERENCES authors (id) NOT VALID
=== allow
ALTER TABLE notes VALIDATE CONSTRAINT fk
=== allow
CREATE TABLE comments (id bigint PRIMARY KEY, note_id bigint NOT NULL REFERENCES notes (id), body text)

# --- blocking maintenance -----------------------------------------------------------------------------------------
=== require-concurrent-index-creation
CREATE INDEX notes_body ON notes (body)
=== require-concurrent-index-creation
CREATE UNIQUE INDEX IF NOT EXISTS notes_body ON ONLY public.notes USING btree (lower(body)) WHERE body IS NOT NULL
=== allow; neighbour=require-concurrent-index-creation
CREATE INDEX CONCURRENTLY notes_body ON notes (body)
=== require-concurrent-index-deletion, drop-index; contract=require-concurrent-index-deletion
DROP INDEX notes_body
=== drop-index; contract=allow; neighbour=require-concurrent-index-deletion
DROP INDEX CONCURRENTLY IF EXISTS notes_body
=== allow; neighbour=drop-index
CREATE TABLE drafts2 (id bigint);
CREATE INDEX drafts2_id ON drafts2 (id);
DROP INDEX drafts2_id
=== concurrently-in-transaction
ALTER TABLE notes ADD COLUMN a text;
CREATE INDEX CONCURRENTLY i ON notes (a)
=== allow; neighbour=concurrently-in-transaction
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS notes_body_key ON notes (body)
=== vacuum-full
VACUUM FULL notes
=== vacuum-full
VACUUM (FULL, ANALYZE) notes
=== allow; neighbour=vacuum-full
VACUUM ANALYZE notes
=== allow
ANALYZE notes (body)
=== cluster
CLUSTER notes USING notes_pkey
=== allow; neighbour=cluster
CREATE TABLE archive (id bigint);
CREATE INDEX archive_id ON archive (id);
CLUSTER archive USING archive_id
=== refresh-materialized-view
REFRESH MATERIALIZED VIEW note_counts
=== allow; neighbour=refresh-materialized-view
REFRESH MATERIALIZED VIEW CONCURRENTLY note_counts
=== reindex
REINDEX TABLE notes
=== allow; neighbour=reindex
REINDEX INDEX CONCURRENTLY notes_body
=== lock-table
LOCK TABLE notes IN SHARE MODE
=== lock-table
SELECT id FROM notes WHERE body IS NULL FOR UPDATE
=== allow; neighbour=lock-table
SELECT count(*) FROM notes

# --- data changes -------------------------------------------------------------------------------------------------
=== backfill-required
UPDATE notes SET body = $$ALTER TABLE x DROP COLUMN y$$ WHERE id = 1
=== backfill-required
DELETE FROM notes
=== backfill-required
INSERT INTO notes (body) SELECT body FROM old_notes
=== backfill-required
INSERT INTO settings (key, value) VALUES ('a', '1') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
=== backfill-required
MERGE INTO notes n USING incoming i ON n.id = i.id WHEN MATCHED THEN UPDATE SET body = i.body
=== backfill-required
COPY notes (body) FROM STDIN
=== backfill-required
WITH gone AS (DELETE FROM notes WHERE body IS NULL RETURNING id) SELECT count(*) FROM gone
=== allow; neighbour=backfill-required; backfill
UPDATE notes SET author = 'unknown' WHERE author IS NULL
=== insert-into-existing-table
INSERT INTO notes (body) VALUES ('DROP TABLE notes; -- not a statement')
=== allow; neighbour=insert-into-existing-table
CREATE TABLE kinds (id int PRIMARY KEY, name text);
INSERT INTO kinds (id, name) VALUES (1, 'memo'), (2, 'todo')
=== truncate; contract=allow
TRUNCATE notes
=== truncate
TRUNCATE TABLE ONLY notes, other RESTART IDENTITY
=== allow; neighbour=truncate
CREATE TABLE scratch (id int);
TRUNCATE scratch
=== backfill-form; backfill
UPDATE notes SET author = 'unknown'
=== backfill-form; backfill
UPDATE notes SET author = 'x' WHERE author IS NULL;
UPDATE notes SET body = '' WHERE body IS NULL
=== backfill-form; backfill
ALTER TABLE notes ADD COLUMN x text
=== allow; neighbour=backfill-form; backfill
UPDATE public.notes SET body_len = length(body) WHERE body_len IS NULL
=== backfill-delete; contract=allow; backfill
DELETE FROM sessions WHERE expires < now() - interval '30 days'
=== allow; neighbour=backfill-delete; backfill
UPDATE sessions SET expired = true WHERE expired IS NULL AND expires < now()

# --- session settings that switch the migrator's protections off --------------------------------------------------
=== disables-protection
SET lock_timeout = 0
=== disables-protection
set local STATEMENT_TIMEOUT to '1h'
=== disables-protection
SET idle_in_transaction_session_timeout = 0
=== disables-protection
SET session_replication_role = replica
=== disables-protection
SET ROLE postgres
=== disables-protection
SET SESSION AUTHORIZATION 'admin'
=== disables-protection
RESET ALL
=== disables-protection
RESET lock_timeout
=== disables-protection
SELECT set_config('lock_timeout', '0', false)
=== allow; neighbour=disables-protection
SET LOCAL maintenance_work_mem = '1GB'
=== session-setting
SET search_path TO other, public
=== allow; neighbour=session-setting
SHOW lock_timeout
=== transaction-control
BEGIN
=== transaction-control
COMMIT
=== transaction-control
SAVEPOINT before_drop
=== transaction-control
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE
=== transaction-control
SET CONSTRAINTS ALL DEFERRED
=== allow; neighbour=transaction-control
COMMENT ON TABLE notes IS 'notes; of users'
=== session-state
LISTEN releases
=== session-state
NOTIFY releases, 'done'
=== session-state
DISCARD ALL
=== session-state
PREPARE fetch_note (bigint) AS SELECT * FROM notes WHERE id = $1
=== session-state
DECLARE c CURSOR FOR SELECT * FROM notes
=== allow; neighbour=session-state
COMMENT ON COLUMN notes.body IS 'the text'

# --- outside the database, roles, other sessions ------------------------------------------------------------------
=== server-access
COPY notes TO '/tmp/notes.csv'
=== server-access
COPY notes FROM PROGRAM 'curl http://example.invalid/notes.csv'
=== server-access
SELECT pg_read_file('/etc/passwd')
=== server-access
SELECT lo_import('/etc/hosts')
=== server-access
SELECT * FROM dblink('host=prod', 'DELETE FROM notes') AS t(n int)
=== server-access
LOAD 'auto_explain'
=== server-access
CREATE TABLESPACE fast_disk LOCATION '/mnt/fast'
=== server-access
CREATE SERVER prod FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'prod')
=== allow; neighbour=server-access
COPY notes TO STDOUT
=== server-config
ALTER SYSTEM SET max_connections = 10
=== server-config
SELECT pg_reload_conf()
=== server-config
ALTER DATABASE app SET statement_timeout = 0
=== server-config
CREATE DATABASE scratch
=== server-config
CHECKPOINT
=== allow; neighbour=server-config
SELECT current_setting('server_version_num')
=== other-sessions
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()
=== other-sessions
SELECT pg_cancel_backend(12345)
=== other-sessions
SELECT pg_advisory_lock(42)
=== allow; neighbour=other-sessions
SELECT version()
=== role-change
CREATE ROLE reporting LOGIN PASSWORD 'x'
=== role-change
ALTER USER app WITH SUPERUSER
=== role-change
DROP ROLE IF EXISTS reporting
=== role-change
GRANT admin TO app
=== role-change
ALTER TABLE notes OWNER TO someone_else
=== role-change
REASSIGN OWNED BY app TO postgres
=== allow; neighbour=role-change
CREATE TABLE audit_log (id bigint, entry text);
GRANT SELECT, INSERT ON audit_log TO app
=== privileges
GRANT SELECT ON notes TO reporting
=== privileges
GRANT ALL ON ALL TABLES IN SCHEMA public TO PUBLIC
=== privileges
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO reporting
=== privileges
ALTER TABLE notes ENABLE ROW LEVEL SECURITY
=== allow; neighbour=privileges
CREATE SEQUENCE audit_seq;
GRANT USAGE ON SEQUENCE audit_seq TO app
=== revoke; contract=allow
REVOKE INSERT ON notes FROM app
=== allow; neighbour=revoke
CREATE TABLE drafts (id bigint);
REVOKE ALL ON drafts FROM PUBLIC
=== extension
CREATE EXTENSION IF NOT EXISTS pgcrypto
=== extension
ALTER EXTENSION pgcrypto UPDATE
=== allow; neighbour=extension
CREATE SCHEMA IF NOT EXISTS reporting

# --- dynamic SQL --------------------------------------------------------------------------------------------------
=== dynamic-sql
DO $$ BEGIN EXECUTE 'ALTER TABLE notes DROP COLUMN body'; END $$
=== dynamic-sql
do language plpgsql $body$
begin
  perform 1;
end
$body$
=== dynamic-sql
CALL app.migrate_notes()
=== dynamic-sql
EXECUTE fetch_note (1)
=== dynamic-sql
CREATE RULE no_delete AS ON DELETE TO notes DO INSTEAD NOTHING
=== dynamic-sql
CREATE EVENT TRIGGER log_ddl ON ddl_command_end EXECUTE FUNCTION log_ddl()
=== function-call
SELECT app.drop_old_partitions()
=== function-call
CREATE TABLE snapshot AS SELECT app.export_notes()
=== allow; neighbour=function-call
CREATE FUNCTION app.drop_old_partitions() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE 'DROP TABLE old';
END
$fn$
=== allow; neighbour=dynamic-sql
CREATE FUNCTION app.slug4(t text) RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT lower(t) $$;
CREATE OR REPLACE FUNCTION app.slug4(t text) RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT upper(t) $$

# --- destructive: contract changes --------------------------------------------------------------------------------
=== drop-table; contract=allow
DROP TABLE notes
=== drop-table; contract=allow
DROP TABLE IF EXISTS public.notes, "Archive" CASCADE
=== allow; neighbour=drop-table
CREATE TABLE tmp_import (id int);
DROP TABLE tmp_import
=== drop-table
CREATE TABLE tmp_import (id int);
DROP TABLE tmp_import CASCADE
=== drop-schema; contract=allow
DROP SCHEMA app CASCADE
=== allow; neighbour=drop-schema
CREATE SCHEMA staging;
DROP SCHEMA staging
=== drop-database
DROP DATABASE app
=== allow; neighbour=drop-database
ALTER TABLE notes ADD COLUMN tags text[]
=== drop-column; contract=allow
ALTER TABLE notes DROP COLUMN body
=== drop-column
ALTER TABLE notes DROP body
=== drop-column, drop-constraint
ALTER TABLE IF EXISTS ONLY "App".notes DROP COLUMN IF EXISTS legacy CASCADE, DROP CONSTRAINT notes_legacy_check
=== allow; neighbour=drop-column
CREATE TABLE t2 (id int, junk text);
ALTER TABLE t2 DROP COLUMN junk
=== drop-view; contract=allow
DROP VIEW active_notes
=== drop-view
DROP MATERIALIZED VIEW IF EXISTS reporting.note_counts
=== allow; neighbour=drop-view
CREATE VIEW recent_notes AS SELECT * FROM notes WHERE created > now() - interval '1 day'
=== drop-sequence
DROP SEQUENCE notes_id_seq
=== allow; neighbour=drop-sequence
CREATE SEQUENCE IF NOT EXISTS invoice_numbers START 1000
=== drop-type
DROP TYPE mood
=== drop-type
DROP DOMAIN IF EXISTS email
=== drop-type
ALTER TYPE address DROP ATTRIBUTE zip
=== allow; neighbour=drop-type
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')
=== allow
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ecstatic' AFTER 'happy'
=== drop-function
DROP FUNCTION app.slug(text)
=== drop-function
DROP PROCEDURE app.migrate_notes
=== allow; neighbour=drop-function
CREATE FUNCTION app.slug2(t text) RETURNS text LANGUAGE sql AS 'SELECT lower(t)'
=== drop-trigger
DROP TRIGGER notes_dual_write ON notes
=== drop-trigger
ALTER TABLE notes DISABLE TRIGGER ALL
=== allow; neighbour=drop-trigger
CREATE TRIGGER notes_dual_write BEFORE INSERT OR UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION app.copy_body()
=== drop-constraint
ALTER TABLE notes DROP CONSTRAINT IF EXISTS notes_author_fkey
=== drop-constraint
ALTER DOMAIN email DROP CONSTRAINT has_at
=== allow; neighbour=drop-constraint
ALTER TABLE notes ALTER COLUMN body DROP NOT NULL
=== drop-default
ALTER TABLE notes ALTER COLUMN status DROP DEFAULT
=== drop-default
ALTER TABLE notes ALTER COLUMN id DROP IDENTITY IF EXISTS
=== allow; neighbour=drop-default
ALTER TABLE notes ALTER COLUMN body SET DEFAULT 'x'
=== drop-object
DROP POLICY notes_owner ON notes
=== drop-object
DROP EXTENSION pgcrypto
=== drop-object
DROP PUBLICATION everything
=== drop-object
ALTER TABLE measurements DETACH PARTITION measurements_2020
=== drop-object
DROP RULE no_delete ON notes
=== allow; neighbour=drop-object
CREATE POLICY notes_owner ON notes USING (owner = current_user)
=== rename-table; contract=allow
ALTER TABLE notes RENAME TO memo
=== allow; neighbour=rename-table
CREATE TABLE memo_new (id int);
ALTER TABLE memo_new RENAME TO memo2
=== rename-column; contract=allow
ALTER TABLE notes RENAME COLUMN body TO text
=== rename-column
ALTER TABLE notes RENAME body TO text
=== rename-column
ALTER VIEW active_notes RENAME COLUMN body TO text
=== allow; neighbour=rename-column
ALTER TABLE notes ADD COLUMN text_body text
=== rename-object
ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'
=== rename-object
ALTER INDEX notes_body RENAME TO notes_body_idx
=== rename-object
ALTER VIEW active_notes RENAME TO live_notes
=== rename-object
ALTER SEQUENCE notes_id_seq RENAME TO memo_id_seq
=== rename-object
ALTER SCHEMA app RENAME TO application
=== rename-object
ALTER FUNCTION app.slug(text) RENAME TO slugify
=== rename-object
ALTER TRIGGER notes_dual_write ON notes RENAME TO notes_copy
=== rename-object
ALTER TABLE notes RENAME CONSTRAINT notes_pkey TO memo_pkey
=== rename-object
ALTER TABLE notes SET SCHEMA archive
=== rename-object
ALTER TYPE mood SET SCHEMA app
=== allow; neighbour=rename-object
CREATE VIEW live_notes AS SELECT id, body FROM notes
=== replace-object; contract=allow
CREATE OR REPLACE VIEW active_notes AS SELECT id FROM notes
=== replace-object
CREATE OR REPLACE FUNCTION app.slug(t text) RETURNS text LANGUAGE sql AS $$ SELECT upper(t) $$
=== replace-object
ALTER FUNCTION app.slug(text) SECURITY DEFINER
=== replace-object
ALTER SEQUENCE notes_id_seq RESTART WITH 1
=== replace-object
SELECT setval('notes_id_seq', 1)
=== allow; neighbour=replace-object
CREATE VIEW v_notes AS SELECT id FROM notes;
CREATE OR REPLACE VIEW v_notes AS SELECT id, body FROM notes

# --- what the lint cannot judge -----------------------------------------------------------------------------------
=== unknown-statement
CREATE CAST (text AS mood) WITH INOUT AS IMPLICIT
=== unknown-statement
SECURITY LABEL ON TABLE notes IS 'secret'
=== unknown-statement
ALTER TABLE notes OF note_type
=== allow; neighbour=unknown-statement
CREATE TABLE note_types (id int)
=== syntax
ALTER TABLE notes RENAME COLUMN body
=== syntax
INSERT INTO notes (body) VALUES ('oops)
=== allow; neighbour=syntax
CREATE TABLE new_notes (body text);
INSERT INTO new_notes (body) VALUES ('ok')
=== prefer-jsonb
ALTER TABLE notes ADD COLUMN meta json
=== prefer-jsonb
CREATE TABLE events (id bigint, payload json)
=== allow; neighbour=prefer-jsonb
ALTER TABLE notes ADD COLUMN meta jsonb

# --- expand forms, written unlike the obvious example -------------------------------------------------------------
=== allow
CREATE TABLE IF NOT EXISTS "Reporting"."NoteStats" (
    "Id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    note_id bigint REFERENCES public.notes (id) ON DELETE CASCADE,
    label text DEFAULT 'a;b' CHECK (label <> ''), -- a comment; with a semicolon
    meta jsonb NOT NULL DEFAULT '{}'::jsonb
)
=== allow
CREATE TABLE authors (id bigserial PRIMARY KEY, name text NOT NULL, meta jsonb);
CREATE INDEX authors_name ON authors (name);
ALTER TABLE authors ADD CONSTRAINT authors_name_key UNIQUE (name), ADD COLUMN token uuid DEFAULT gen_random_uuid(),
    ALTER COLUMN name SET NOT NULL;
INSERT INTO authors (name) VALUES ('someone')
=== allow
ALTER TABLE notes ADD COLUMN IF NOT EXISTS a text, ADD COLUMN b int DEFAULT 0, ALTER COLUMN c SET STATISTICS 500
=== allow
CREATE MATERIALIZED VIEW note_counts AS SELECT author, count(*) FROM notes GROUP BY author WITH NO DATA
=== allow
CREATE DOMAIN email AS text CHECK (VALUE ~ '@')
=== allow
CREATE TYPE address AS (street text, zip text)
=== allow
CREATE PROCEDURE app.noop() LANGUAGE sql AS $$ SELECT 1 $$
=== allow
CREATE STATISTICS notes_stats (dependencies) ON author, status FROM notes
=== allow
ALTER TABLE notes ALTER COLUMN body SET STORAGE EXTERNAL, REPLICA IDENTITY FULL
=== allow
CREATE UNLOGGED TABLE import_buffer (line text)
=== allow
ALTER DOMAIN email VALIDATE CONSTRAINT has_at

# --- what the same release created, and what it only may have --------------------------------------------------
=== drop-column
CREATE TABLE IF NOT EXISTS notes (id bigint);
ALTER TABLE notes DROP COLUMN body
=== rename-table, drop-table
ALTER TABLE notes RENAME TO memo;
DROP TABLE memo
=== replace-object, drop-view
CREATE OR REPLACE VIEW active_notes AS SELECT 1 AS id;
DROP VIEW active_notes
=== require-concurrent-index-creation
CREATE SEQUENCE IF NOT EXISTS notes_id_seq;
CREATE INDEX IF NOT EXISTS notes_author ON notes (author)
