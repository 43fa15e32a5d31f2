package dev.switchback.lint;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The lint's rule catalogue: every rule with its id, category, the strongest table-level lock PostgreSQL takes for
 * the statements it refuses, a safe alternative, and whether it is a contract change (destructive, allowed only in a
 * contract release) or a hazard (refused in every release). Each rule's comment cites the PostgreSQL behaviour it is
 * derived from (PostgreSQL 14 "Explicit Locking" 13.3.1 and the reference page of the command).
 */
public enum Rule {
    // --- rewrites and scans under a strong lock -------------------------------------------------------------------
    /** ALTER COLUMN TYPE: ACCESS EXCLUSIVE, and the table and its indexes are rewritten unless the old type is binary coercible to the new one. */
    CHANGING_COLUMN_TYPE("changing-column-type", Category.REWRITE, Lock.ACCESS_EXCLUSIVE, false, true,
            "widen to text (or unbounded varchar/numeric) only; otherwise add a column of the new type, write both, backfill, move code, drop the old one in a contract release"),
    /** ADD COLUMN with a volatile default (random(), nextval(), serial, identity, GENERATED ... STORED) rewrites the table under ACCESS EXCLUSIVE; a non-volatile default is stored once (PG 11+). */
    ADDING_FIELD_WITH_VOLATILE_DEFAULT("adding-field-with-volatile-default", Category.REWRITE, Lock.ACCESS_EXCLUSIVE, false, true,
            "add the column without a default (or with a constant), then SET DEFAULT, then backfill in a backfill migration"),
    /** ADD COLUMN ... NOT NULL without a default fails on a table with rows; the live version does not write the column. */
    ADDING_REQUIRED_FIELD("adding-required-field", Category.REWRITE, Lock.ACCESS_EXCLUSIVE, false, true,
            "add it nullable (or with a constant default); enforce NOT NULL later in a contract release"),
    /** SET NOT NULL scans the whole table under ACCESS EXCLUSIVE unless a valid CHECK (col IS NOT NULL) proves it (PG 12+); it also narrows what the live version may write. */
    SETTING_NOT_NULL("setting-not-null", Category.REWRITE, Lock.ACCESS_EXCLUSIVE, false, true,
            "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c; then SET NOT NULL in a contract release"),
    /** ADD PRIMARY KEY / UNIQUE / EXCLUDE builds its index under ACCESS EXCLUSIVE (SET NOT NULL too for a primary key); only USING INDEX skips the build. */
    DISALLOWED_UNIQUE_CONSTRAINT("disallowed-unique-constraint", Category.REWRITE, Lock.ACCESS_EXCLUSIVE, false, true,
            "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE / PRIMARY KEY USING INDEX"),
    /** SET TABLESPACE, SET LOGGED / UNLOGGED and SET ACCESS METHOD rewrite the table (or move its files) under ACCESS EXCLUSIVE. */
    TABLE_REWRITE("table-rewrite", Category.REWRITE, Lock.ACCESS_EXCLUSIVE, false, true,
            "do it outside a release, in a maintenance window, or with pg_repack"),
    /** ATTACH PARTITION takes ACCESS EXCLUSIVE on the partition and scans it (and the default partition) to check the bound. */
    ATTACH_PARTITION("attach-partition", Category.REWRITE, Lock.ACCESS_EXCLUSIVE, false, true,
            "CREATE TABLE ... PARTITION OF for a new, empty partition; or add a CHECK matching the bound NOT VALID, VALIDATE it, then ATTACH"),
    // --- constraints validated as they are added ------------------------------------------------------------------
    /** ADD CHECK / FOREIGN KEY (also inline in ADD COLUMN) validates every row while holding SHARE ROW EXCLUSIVE (FK, on both tables) or ACCESS EXCLUSIVE (CHECK); NOT VALID skips it. */
    ADDING_NOT_VALID_CONSTRAINT("adding-not-valid-constraint", Category.VALIDATION, Lock.ACCESS_EXCLUSIVE, false, true,
            "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT (SHARE UPDATE EXCLUSIVE) in a later migration"),
    // --- blocking maintenance -------------------------------------------------------------------------------------
    /** CREATE INDEX without CONCURRENTLY holds SHARE on the table for the whole build: writes wait. */
    REQUIRE_CONCURRENT_INDEX_CREATION("require-concurrent-index-creation", Category.MAINTENANCE, Lock.SHARE, false, true,
            "CREATE INDEX CONCURRENTLY, alone in its migration"),
    /** DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the index's table: reads and writes wait. */
    REQUIRE_CONCURRENT_INDEX_DELETION("require-concurrent-index-deletion", Category.MAINTENANCE, Lock.ACCESS_EXCLUSIVE, false, true,
            "DROP INDEX CONCURRENTLY, alone in its migration"),
    /** CONCURRENTLY (index builds and drops, REINDEX, DETACH) and VACUUM "cannot be executed inside a transaction block", and a migration with other statements runs in one. */
    CONCURRENTLY_IN_TRANSACTION("concurrently-in-transaction", Category.MAINTENANCE, Lock.NONE, false, true,
            "put the statement alone in a migration of its own, without BEGIN/COMMIT"),
    /** VACUUM FULL rewrites the table under ACCESS EXCLUSIVE. */
    VACUUM_FULL("vacuum-full", Category.MAINTENANCE, Lock.ACCESS_EXCLUSIVE, false, true,
            "plain VACUUM, or pg_repack outside a release"),
    /** CLUSTER rewrites the table under ACCESS EXCLUSIVE. */
    CLUSTER("cluster", Category.MAINTENANCE, Lock.ACCESS_EXCLUSIVE, false, true, "pg_repack outside a release"),
    /** REFRESH MATERIALIZED VIEW without CONCURRENTLY takes ACCESS EXCLUSIVE on the view: its readers wait for the whole query. */
    REFRESH_MATERIALIZED_VIEW("refresh-materialized-view", Category.MAINTENANCE, Lock.ACCESS_EXCLUSIVE, false, true,
            "REFRESH MATERIALIZED VIEW CONCURRENTLY (EXCLUSIVE: reads go on; needs a unique index)"),
    /** REINDEX without CONCURRENTLY locks out writes to the table and reads that use the index (ACCESS EXCLUSIVE on the index). */
    REINDEX("reindex", Category.MAINTENANCE, Lock.ACCESS_EXCLUSIVE, false, true,
            "REINDEX ... CONCURRENTLY, alone in its migration"),
    /** LOCK TABLE (ACCESS EXCLUSIVE unless a mode is named) and SELECT ... FOR UPDATE/SHARE hold locks the live version waits on until the migration commits. */
    LOCK_TABLE("lock-table", Category.MAINTENANCE, Lock.ACCESS_EXCLUSIVE, false, true,
            "let each statement take the lock it needs; the migrator's lock timeout bounds each wait"),
    // --- data changes ---------------------------------------------------------------------------------------------
    /** UPDATE, DELETE, MERGE, INSERT ... SELECT, INSERT ... ON CONFLICT DO UPDATE, COPY FROM on an existing table: ROW EXCLUSIVE and row locks on every row touched, held for the whole statement. */
    BACKFILL_REQUIRED("backfill-required", Category.DATA, Lock.ROW_EXCLUSIVE, false, true,
            "a migration of kind \"backfill\" (one UPDATE ... WHERE or DELETE ... WHERE), which the migrator runs in batches"),
    /** INSERT ... VALUES into an existing table adds rows the live version sees and its triggers and constraints act on; data, not schema. */
    INSERT_INTO_EXISTING_TABLE("insert-into-existing-table", Category.DATA, Lock.ROW_EXCLUSIVE, false, true,
            "insert reference rows in the migration that creates the table, or override with a reason"),
    /** TRUNCATE deletes every row under ACCESS EXCLUSIVE. */
    TRUNCATE("truncate", Category.DATA, Lock.ACCESS_EXCLUSIVE, true, true,
            "delete in a backfill migration, in a contract release"),
    /** A backfill migration must be one statement BackfillStatement accepts, so it can run in batches. */
    BACKFILL_FORM("backfill-form", Category.DATA, Lock.ROW_EXCLUSIVE, false, false,
            "one UPDATE table SET ... WHERE <rows still to change> or DELETE FROM table WHERE ..., nothing else"),
    /** A backfill DELETE removes rows the live version may still read: a contract change. */
    BACKFILL_DELETE("backfill-delete", Category.DESTRUCTIVE, Lock.ROW_EXCLUSIVE, true, true,
            "stop reading the rows in code first; delete them in a contract release"),
    // --- session settings that switch the migrator's protections off ---------------------------------------------
    /** SET/RESET of lock_timeout, statement_timeout, idle_in_transaction_session_timeout, session_replication_role (replica disables triggers and FK checks), SET ROLE, SET SESSION AUTHORIZATION, RESET ALL, set_config(). */
    DISABLES_PROTECTION("disables-protection", Category.SESSION, Lock.NONE, false, false,
            "leave timeouts and identity to the migrator (the spec's lock timeout); never change them in a migration"),
    /** SET of a setting not known to be harmless: it stays in force for the rest of the migrator's session. */
    SESSION_SETTING("session-setting", Category.SESSION, Lock.NONE, false, true,
            "SET LOCAL of work_mem, maintenance_work_mem or client_min_messages only, or none"),
    /** BEGIN, COMMIT, ROLLBACK, SAVEPOINT, PREPARE TRANSACTION, SET TRANSACTION/CONSTRAINTS: the migrator owns the transaction; a COMMIT inside a migration makes it half-applied on failure. */
    TRANSACTION_CONTROL("transaction-control", Category.SESSION, Lock.NONE, false, false,
            "leave transactions to the migrator: one migration is one transaction"),
    /** LISTEN, NOTIFY, PREPARE, DEALLOCATE, DISCARD, DECLARE/FETCH/CLOSE, CHECKPOINT: session state or signals to other sessions, not schema. */
    SESSION_STATE("session-state", Category.SESSION, Lock.NONE, false, true, "leave it out of migrations"),
    // --- outside the database, roles, other sessions --------------------------------------------------------------
    /** COPY TO/FROM a file or PROGRAM, lo_import/lo_export, pg_read_file, dblink, LOAD, foreign servers, subscriptions, tablespaces: the server's files, programs or other databases. */
    SERVER_ACCESS("server-access", Category.OUTSIDE, Lock.NONE, false, false,
            "nothing in a migration reaches outside its database; do it outside the release"),
    /** ALTER SYSTEM, ALTER DATABASE, CREATE DATABASE, pg_reload_conf(), replication slots: settings of the whole server or other databases. */
    SERVER_CONFIG("server-config", Category.OUTSIDE, Lock.NONE, false, false,
            "change server and database settings outside the release, as the DBA"),
    /** pg_terminate_backend, pg_cancel_backend, advisory locks, pg_notify: act on other sessions, the live version's included (Flyway itself holds an advisory lock). */
    OTHER_SESSIONS("other-sessions", Category.OUTSIDE, Lock.NONE, false, false,
            "never act on other sessions from a migration"),
    /** CREATE/ALTER/DROP ROLE/USER/GROUP, GRANT/REVOKE role membership, ALTER ... OWNER TO, DROP/REASSIGN OWNED: who may do what. */
    ROLE_CHANGE("role-change", Category.OUTSIDE, Lock.ACCESS_EXCLUSIVE, false, false,
            "manage roles and ownership outside releases"),
    /** GRANT on objects the release did not create, ALTER DEFAULT PRIVILEGES, ROW LEVEL SECURITY switches, restrictive policies: change who sees what. */
    PRIVILEGES("privileges", Category.OUTSIDE, Lock.ACCESS_EXCLUSIVE, false, true,
            "grant on objects the same release creates; review other privilege changes outside the release"),
    /** REVOKE: the live version may lose access it uses. */
    REVOKE("revoke", Category.DESTRUCTIVE, Lock.NONE, true, true,
            "stop needing the privilege in code first; revoke it in a contract release"),
    /** CREATE/ALTER EXTENSION runs the extension's install script with its own privileges: code from outside the migration. */
    EXTENSION("extension", Category.OUTSIDE, Lock.NONE, false, true,
            "install extensions outside the release (as the DBA), or override with a reason"),
    // --- dynamic SQL ----------------------------------------------------------------------------------------------
    /** DO, EXECUTE, CALL and CREATE RULE run (or rewrite) code the lint cannot see: it could do any of the above. */
    DYNAMIC_SQL("dynamic-sql", Category.DYNAMIC, Lock.NONE, false, false,
            "write the statements themselves in the migration, so the lint can judge each"),
    /** A function called by the migration itself (SELECT f(), a default of ADD COLUMN, CREATE TABLE AS) that is not a known built-in may run DDL. */
    FUNCTION_CALL("function-call", Category.DYNAMIC, Lock.NONE, false, true,
            "write what the function does as statements in the migration; defining a function (CREATE FUNCTION) is fine"),
    // --- destructive: contract changes ----------------------------------------------------------------------------
    /** DROP TABLE: ACCESS EXCLUSIVE; the live version's queries on it fail. */
    DROP_TABLE("drop-table", Category.DESTRUCTIVE, Lock.ACCESS_EXCLUSIVE, true, true, Rule.STOP_USING),
    /** DROP SCHEMA: drops what it holds (with CASCADE, all of it). */
    DROP_SCHEMA("drop-schema", Category.DESTRUCTIVE, Lock.ACCESS_EXCLUSIVE, true, true, Rule.STOP_USING),
    /** DROP DATABASE: every table at once. */
    DROP_DATABASE("drop-database", Category.DESTRUCTIVE, Lock.ACCESS_EXCLUSIVE, true, true, Rule.STOP_USING),
    /** DROP COLUMN: ACCESS EXCLUSIVE; queries naming the column fail. */
    DROP_COLUMN("drop-column", Category.DESTRUCTIVE, Lock.ACCESS_EXCLUSIVE, true, true, Rule.STOP_USING),
    /** DROP VIEW / MATERIALIZED VIEW: queries on it fail. */
    DROP_VIEW("drop-view", Category.DESTRUCTIVE, Lock.ACCESS_EXCLUSIVE, true, true, Rule.STOP_USING),
    /** DROP INDEX: a unique index may back the live version's ON CONFLICT, and its queries may slow to scans. */
    DROP_INDEX("drop-index", Category.DESTRUCTIVE, Lock.ACCESS_EXCLUSIVE, true, true, Rule.STOP_USING),
    /** DROP SEQUENCE: defaults and nextval() calls on it fail. */
    DROP_SEQUENCE("drop-sequence", Category.DESTRUCTIVE, Lock.ACCESS_EXCLUSIVE, true, true, Rule.STOP_USING),
    /** DROP TYPE / DOMAIN, ALTER TYPE DROP ATTRIBUTE: columns and casts of the live version use it. */
    DROP_TYPE("drop-type", Category.DESTRUCTIVE, Lock.ACCESS_EXCLUSIVE, true, true, Rule.STOP_USING),
    /** DROP FUNCTION / PROCEDURE / AGGREGATE / ROUTINE: the live version's calls fail. */
    DROP_FUNCTION("drop-function", Category.DESTRUCTIVE, Lock.ACCESS_EXCLUSIVE, true, true, Rule.STOP_USING),
    /** DROP TRIGGER / DISABLE TRIGGER: ACCESS EXCLUSIVE (SHARE ROW EXCLUSIVE to disable); what it kept in step (a dual write) stops. */
    DROP_TRIGGER("drop-trigger", Category.DESTRUCTIVE, Lock.ACCESS_EXCLUSIVE, true, true, Rule.STOP_USING),
    /** DROP CONSTRAINT (of a table or domain): a guarantee the live version relies on goes. */
    DROP_CONSTRAINT("drop-constraint", Category.DESTRUCTIVE, Lock.ACCESS_EXCLUSIVE, true, true, Rule.STOP_USING),
    /** DROP DEFAULT / DROP IDENTITY / DROP EXPRESSION: the live version's inserts that leave the column out change meaning or fail. */
    DROP_DEFAULT("drop-default", Category.DESTRUCTIVE, Lock.ACCESS_EXCLUSIVE, true, true, Rule.STOP_USING),
    /** DROP of any other object (policy, rule, extension, publication, cast, operator, collation...), DETACH PARTITION, NO INHERIT. */
    DROP_OBJECT("drop-object", Category.DESTRUCTIVE, Lock.ACCESS_EXCLUSIVE, true, true, Rule.STOP_USING),
    /** ALTER TABLE RENAME TO: the live version uses the old name. */
    RENAME_TABLE("rename-table", Category.DESTRUCTIVE, Lock.ACCESS_EXCLUSIVE, true, true,
            "create the new table (or a view under the new name), move code, drop the old one in a contract release"),
    /** RENAME COLUMN: the live version uses the old name. */
    RENAME_COLUMN("rename-column", Category.DESTRUCTIVE, Lock.ACCESS_EXCLUSIVE, true, true,
            "add the new column, write both, backfill, move reads, then drop the old one in a contract release"),
    /** RENAME or SET SCHEMA of any other object (view, index, sequence, type, enum value, constraint, function, schema, trigger...): the live version uses the old name. */
    RENAME_OBJECT("rename-object", Category.DESTRUCTIVE, Lock.ACCESS_EXCLUSIVE, true, true,
            "create the object under its new name beside the old one, move code, drop the old one in a contract release"),
    /** CREATE OR REPLACE of a view, function, procedure, trigger or rule the release did not create, ALTER FUNCTION, ALTER POLICY, ALTER SEQUENCE: the live version's behaviour changes under it. */
    REPLACE_OBJECT("replace-object", Category.DESTRUCTIVE, Lock.ACCESS_EXCLUSIVE, true, true,
            "create a new object under a new name, move code to it, drop the old one in a contract release"),
    // --- what the lint cannot judge --------------------------------------------------------------------------------
    /** A statement or ALTER TABLE action the lint does not know to be safe: default deny. */
    UNKNOWN_STATEMENT("unknown-statement", Category.UNKNOWN, Lock.ACCESS_EXCLUSIVE, false, true,
            "use a form the lint knows (see the rule table), or override with a reason"),
    /** SQL the lexer or parser cannot read: nothing can be judged. */
    SYNTAX("syntax", Category.UNKNOWN, Lock.NONE, false, false, "fix the SQL; the lint refuses what it cannot read"),
    /** json keeps text as written and cannot be indexed or compared. */
    PREFER_JSONB("prefer-jsonb", Category.TYPES, Lock.NONE, false, true, "use jsonb");

    private static final String STOP_USING =
            "stop using it in code first; drop it later in a release of its own with \"changeKind\": \"contract\"";

    /** What a rule is about. */
    public enum Category {
        /** REWRITE: rewrites or scans a table under a strong lock. */
        REWRITE,
        /** VALIDATION: a constraint validated as it is added. */
        VALIDATION,
        /** MAINTENANCE: blocking maintenance and explicit locks. */
        MAINTENANCE,
        /** DATA: changes to rows, which belong in a backfill. */
        DATA,
        /** SESSION: session settings and state, transaction control. */
        SESSION,
        /** OUTSIDE: reaches outside the database, acts on roles or other sessions. */
        OUTSIDE,
        /** DYNAMIC: code the lint cannot see. */
        DYNAMIC,
        /** DESTRUCTIVE: contract changes, allowed only in a contract release. */
        DESTRUCTIVE,
        /** TYPES: a column type to avoid. */
        TYPES,
        /** UNKNOWN: what the lint cannot read or judge. */
        UNKNOWN
    }

    /** PostgreSQL's table-level lock modes, weakest first (NONE: no table lock, or not the point). */
    public enum Lock {
        NONE, ACCESS_SHARE, ROW_SHARE, ROW_EXCLUSIVE, SHARE_UPDATE_EXCLUSIVE, SHARE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE,
        ACCESS_EXCLUSIVE;

        /** The mode as PostgreSQL's documentation names it. */
        public String label() {
            return name().replace('_', ' ');
        }
    }

    private final String id;
    private final Category category;
    private final Lock lock;
    private final boolean destructive;
    private final boolean overridable;
    private final String alternative;

    Rule(String id, Category category, Lock lock, boolean destructive, boolean overridable, String alternative) {
        this.id = id;
        this.category = category;
        this.lock = lock;
        this.destructive = destructive;
        this.overridable = overridable;
        this.alternative = alternative;
    }

    /** The rule with this id, if there is one. */
    public static Optional<Rule> byId(String id) {
        String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.id.equals(wanted)).findFirst();
    }

    /** id: the rule's id, as violations and overrides name it. */
    public String id() {
        return id;
    }

    /** category: what the rule is about. */
    public Category category() {
        return category;
    }

    /** lock: the strongest table-level lock the refused statements take. */
    public Lock lock() {
        return lock;
    }

    /** destructive: a contract change, allowed in a contract release; otherwise refused in every release. */
    public boolean destructive() {
        return destructive;
    }

    /** overridable: whether a release's allowUnsafe can wave it through; false where an override would hide any other rule or switch the migrator's own protections off. */
    public boolean overridable() {
        return overridable;
    }

    /** alternative: how to make the same change safely. */
    public String alternative() {
        return alternative;
    }
}
