package dev.switchback.lint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Default deny: the walk-arounds the lint used to let through, statements of every category written unlike the
 * obvious example, overrides (and the rules no override can wave through), and backfill migrations.
 */
class DefaultDenyTest {

    private static LintReport lint(ChangeKind kind, Set<String> overrides, MigrationLinter.Script... scripts) {
        return MigrationLinter.lint(List.of(scripts), kind, overrides);
    }

    private static LintReport expand(String sql) {
        return lint(ChangeKind.EXPAND, Set.of(), new MigrationLinter.Script("4", sql));
    }

    @Test
    void shouldRefuseTheWalkAroundsOfAnExpandReleaseWithRuleStatementAndLine() {
        LintReport report = expand("""
                ALTER TABLE notes ADD COLUMN title text;
                DO $$ BEGIN EXECUTE 'ALTER TABLE notes DROP COLUMN body'; END $$;
                DELETE FROM notes;
                DROP VIEW active_notes;
                """);

        assertThat(report.verdict()).isEqualTo("refused");
        assertThat(report.violations()).extracting(LintViolation::rule, LintViolation::line, LintViolation::statement)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("dynamic-sql", 2,
                                "DO $$ BEGIN EXECUTE 'ALTER TABLE notes DROP COLUMN body'; END $$"),
                        org.assertj.core.groups.Tuple.tuple("backfill-required", 3, "DELETE FROM notes"),
                        org.assertj.core.groups.Tuple.tuple("drop-view", 4, "DROP VIEW active_notes"));
        assertThat(report.violations().get(1).message()).contains("every row");
        assertThat(report.violations().get(1).safeAlternative()).contains("backfill");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            REWRITE     | alter table "Sales"."Orders" alter column "Total" type numeric(12, 2) using "Total"::numeric
            REWRITE     | ALTER TABLE orders ADD COLUMN IF NOT EXISTS ref uuid DEFAULT uuid_generate_v4() NOT NULL
            REWRITE     | ALTER TABLE orders ADD COLUMN note text, ALTER COLUMN id SET DATA TYPE bigint
            REWRITE     | ALTER TABLE ONLY orders ADD CONSTRAINT orders_pk PRIMARY KEY (id, region)
            REWRITE     | ALTER TABLE orders SET LOGGED
            REWRITE     | ALTER TABLE IF EXISTS orders ALTER COLUMN placed /* when */ SET NOT NULL
            VALIDATION  | ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES "Customers" ON DELETE SET NULL
            VALIDATION  | ALTER TABLE orders ADD COLUMN region_id int CONSTRAINT r CHECK (region_id > 0)
            MAINTENANCE | Vacuum (Verbose, Full) public.orders
            MAINTENANCE | REINDEX (VERBOSE) INDEX orders_pk
            MAINTENANCE | LOCK orders
            MAINTENANCE | CREATE INDEX ON orders USING gin (tags)
            DATA        | update "Sales".orders set total = 0
            DATA        | INSERT INTO orders SELECT * FROM orders_archive WHERE placed > now() - interval '1 year'
            DATA        | WITH moved AS (UPDATE orders SET region = 'eu' WHERE region IS NULL RETURNING id) SELECT 1
            DATA        | EXPLAIN ANALYZE DELETE FROM orders WHERE id < 100
            SESSION     | SET SESSION lock_timeout TO DEFAULT
            SESSION     | reset Statement_Timeout
            SESSION     | START TRANSACTION READ WRITE
            SESSION     | UNLISTEN *
            OUTSIDE     | SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'app'
            OUTSIDE     | COPY (SELECT * FROM orders) TO PROGRAM 'gzip > /tmp/o.gz'
            OUTSIDE     | CREATE USER mallory
            OUTSIDE     | ALTER SYSTEM RESET ALL
            OUTSIDE     | SELECT dblink_exec('dbname=prod', 'DROP TABLE orders')
            DYNAMIC     | DO LANGUAGE plpgsql $do$ BEGIN PERFORM 1; END $do$
            DYNAMIC     | SELECT app.run_migration('orders')
            DYNAMIC     | call "App"."Rebuild"()
            DESTRUCTIVE | DROP VIEW IF EXISTS "Sales".order_totals, order_counts CASCADE
            DESTRUCTIVE | drop materialized view reporting.daily
            DESTRUCTIVE | ALTER TABLE orders DROP CONSTRAINT orders_customer_fk, DROP COLUMN IF EXISTS legacy RESTRICT
            DESTRUCTIVE | ALTER TYPE order_state RENAME VALUE 'new' TO 'created'
            DESTRUCTIVE | DROP FUNCTION IF EXISTS app.total(int, int), app.total(numeric)
            DESTRUCTIVE | ALTER MATERIALIZED VIEW reporting.daily RENAME TO daily_totals
            DESTRUCTIVE | DROP SCHEMA IF EXISTS reporting, staging RESTRICT
            DESTRUCTIVE | CREATE OR REPLACE VIEW "Sales".order_totals AS SELECT 1 AS total
            DESTRUCTIVE | DROP TRIGGER IF EXISTS orders_audit ON "Sales".orders CASCADE
            DESTRUCTIVE | ALTER TABLE orders ALTER COLUMN id DROP DEFAULT
            DESTRUCTIVE | DROP TYPE IF EXISTS order_state CASCADE
            DESTRUCTIVE | ALTER SEQUENCE orders_id_seq SET SCHEMA archive
            UNKNOWN     | CREATE CONVERSION latin FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8
            UNKNOWN     | ALTER TABLE orders ALTER CONSTRAINT orders_customer_fk DEFERRABLE
            UNKNOWN     | ALTER TABLE orders RENAME
            """)
    void shouldRefuseStatementsOfEachCategory(Rule.Category category, String sql) {
        LintReport report = expand(sql);

        assertThat(report.verdict()).isEqualTo("refused");
        assertThat(report.violations()).extracting(v -> Rule.byId(v.rule()).orElseThrow().category())
                .contains(category);
    }

    @ParameterizedTest(name = "allows: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            CREATE TABLE "Sales"."Refunds" (id bigint GENERATED BY DEFAULT AS IDENTITY, order_id bigint REFERENCES "Sales".orders)
            alter table "Sales".orders add column refunded boolean default false, add column refund_note text
            ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0) NOT VALID
            CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_region ON "Sales".orders (region) WHERE region IS NOT NULL
            ALTER TYPE order_state ADD VALUE 'refunded' BEFORE 'closed'
            COMMENT ON COLUMN "Sales".orders.total IS 'incl. tax; in cents'
            CREATE FUNCTION app.tidy() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'TRUNCATE x'; RETURN NEW; END $$
            """)
    void shouldAllowExpandFormsWrittenUnlikeTheObviousExample(String sql) {
        LintReport report = expand(sql);

        assertThat(report.violations()).isEmpty();
    }

    @Test
    void shouldReportAnOverriddenRuleApartAndLetTheReleaseThrough() {
        LintReport report = lint(ChangeKind.EXPAND, Set.of("require-concurrent-index-creation"),
                new MigrationLinter.Script("5", "CREATE INDEX notes_small ON notes (flag)"));

        assertThat(report.verdict()).isEqualTo("allowed");
        assertThat(report.overridden()).extracting(LintViolation::rule).containsExactly("require-concurrent-index-creation");
    }

    @Test
    void shouldIgnoreAndReportAnOverrideOfARuleThatCannotBeOverridden() {
        LintReport report = lint(ChangeKind.EXPAND, Set.of("dynamic-sql", "disables-protection", "syntax"),
                new MigrationLinter.Script("5", "SET lock_timeout = 0;\nDO $$ BEGIN NULL; END $$"));

        assertThat(report.verdict()).isEqualTo("refused");
        assertThat(report.overridden()).isEmpty();
        assertThat(report.violations()).extracting(LintViolation::rule).containsExactly("disables-protection", "dynamic-sql");
        assertThat(report.violations()).allSatisfy(v -> assertThat(v.message()).contains("has no effect"));
        assertThat(List.of(Rule.SYNTAX, Rule.DYNAMIC_SQL, Rule.DISABLES_PROTECTION, Rule.TRANSACTION_CONTROL,
                Rule.SERVER_ACCESS, Rule.OTHER_SESSIONS, Rule.ROLE_CHANGE, Rule.BACKFILL_FORM))
                .allSatisfy(rule -> assertThat(rule.overridable()).as(rule.id()).isFalse());
    }

    @Test
    void shouldRunABackfillUpdateInExpandAndADeleteOnlyInContract() {
        MigrationLinter.Script update = new MigrationLinter.Script("6", "UPDATE notes SET title = left(body, 40)"
                + " WHERE title IS NULL", true);
        MigrationLinter.Script delete = new MigrationLinter.Script("7", "DELETE FROM notes WHERE body = ''", true);

        assertThat(lint(ChangeKind.EXPAND, Set.of(), update).verdict()).isEqualTo("allowed");
        LintReport expandDelete = lint(ChangeKind.EXPAND, Set.of(), delete);
        assertThat(expandDelete.violations()).extracting(LintViolation::rule).containsExactly("backfill-delete");
        assertThat(expandDelete.classification()).isEqualTo("contract");
        assertThat(lint(ChangeKind.CONTRACT, Set.of(), delete).verdict()).isEqualTo("allowed");
    }

    @Test
    void shouldRefuseABackfillTheMigratorCannotRunInBatches() {
        LintReport report = lint(ChangeKind.EXPAND, Set.of(), new MigrationLinter.Script("8",
                "UPDATE notes n SET title = 'x' WHERE n.title IS NULL", true));

        assertThat(report.violations()).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo("backfill-form");
            assertThat(v.message()).contains("alias");
        });
    }

    @Test
    void shouldKnowWhatEarlierMigrationsOfTheReleaseCreated() {
        LintReport report = lint(ChangeKind.EXPAND, Set.of(),
                new MigrationLinter.Script("1", "CREATE TABLE tags (id bigint, name text)"),
                new MigrationLinter.Script("2", "INSERT INTO tags VALUES (1, 'a'); CREATE INDEX tags_name ON tags (name)"),
                new MigrationLinter.Script("3", "GRANT SELECT ON tags TO app; ALTER TABLE tags RENAME COLUMN name TO label"));

        assertThat(report.violations()).isEmpty();
    }
}
