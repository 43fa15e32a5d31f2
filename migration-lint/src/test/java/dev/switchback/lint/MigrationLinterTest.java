package dev.switchback.lint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every rule, with the form it refuses and the safe form it allows. */
class MigrationLinterTest {

    private static LintReport expand(String... scripts) {
        return lint(ChangeKind.EXPAND, scripts);
    }

    private static LintReport lint(ChangeKind changeKind, String... scripts) {
        List<MigrationLinter.Script> list = new java.util.ArrayList<>();
        for (int i = 0; i < scripts.length; i++) {
            list.add(new MigrationLinter.Script(Integer.toString(i + 2), scripts[i]));
        }
        return MigrationLinter.lint(list, changeKind);
    }

    @ParameterizedTest(name = "{0} refuses: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            drop-table                        | DROP TABLE notes
            drop-table                        | DROP TABLE IF EXISTS public.notes CASCADE
            drop-column                       | ALTER TABLE notes DROP COLUMN body
            drop-column                       | ALTER TABLE notes DROP body
            drop-schema                       | DROP SCHEMA app CASCADE
            drop-database                     | DROP DATABASE app
            truncate                          | TRUNCATE notes
            truncate                          | TRUNCATE TABLE ONLY notes, other
            rename-table                      | ALTER TABLE notes RENAME TO memo
            rename-column                     | ALTER TABLE notes RENAME COLUMN body TO text
            rename-column                     | ALTER TABLE notes RENAME body TO text
            changing-column-type              | ALTER TABLE notes ALTER COLUMN body TYPE varchar(10)
            changing-column-type              | ALTER TABLE notes ALTER COLUMN id SET DATA TYPE integer
            setting-not-null                  | ALTER TABLE notes ALTER COLUMN body SET NOT NULL
            adding-field-with-volatile-default | ALTER TABLE notes ADD COLUMN token uuid DEFAULT gen_random_uuid()
            adding-field-with-volatile-default | ALTER TABLE notes ADD COLUMN r float8 DEFAULT (random() * 10)
            adding-field-with-volatile-default | ALTER TABLE notes ADD COLUMN seq bigserial
            adding-not-valid-constraint       | ALTER TABLE notes ADD CONSTRAINT fk FOREIGN KEY (author) REFERENCES authors (id)
            adding-not-valid-constraint       | ALTER TABLE notes ADD CONSTRAINT positive CHECK (id > 0)
            disallowed-unique-constraint      | ALTER TABLE notes ADD CONSTRAINT u UNIQUE (body)
            disallowed-unique-constraint      | ALTER TABLE notes ADD PRIMARY KEY (id)
            require-concurrent-index-creation | CREATE INDEX notes_body ON notes (body)
            require-concurrent-index-creation | CREATE UNIQUE INDEX notes_body ON notes USING btree (body)
            require-concurrent-index-deletion | DROP INDEX notes_body
            vacuum-full                       | VACUUM FULL notes
            vacuum-full                       | VACUUM (FULL, ANALYZE) notes
            cluster                           | CLUSTER notes USING notes_pkey
            prefer-jsonb                      | ALTER TABLE notes ADD COLUMN meta json
            prefer-jsonb                      | CREATE TABLE events (id bigint, payload json)
            adding-required-field             | ALTER TABLE notes ADD COLUMN author text NOT NULL
            """)
    void shouldRefuseTheUnsafeFormInAnExpandRelease(String rule, String sql) {
        LintReport report = expand(sql);

        assertThat(report.verdict()).isEqualTo("refused");
        assertThat(report.violations()).extracting(LintViolation::rule).contains(rule);
        LintViolation violation = report.violations().stream().filter(v -> v.rule().equals(rule)).findFirst().orElseThrow();
        assertThat(violation.line()).isEqualTo(1);
        assertThat(violation.migration()).isEqualTo("2");
        assertThat(violation.statement()).isNotBlank();
        assertThat(violation.message()).isNotBlank();
        assertThat(violation.safeAlternative()).isNotBlank();
    }

    @ParameterizedTest(name = "allows: {0}")
    @ValueSource(strings = {
            "ALTER TABLE notes ADD COLUMN author text",
            "ALTER TABLE notes ADD COLUMN created timestamptz DEFAULT now()",
            "ALTER TABLE notes ADD COLUMN status text NOT NULL DEFAULT 'new'",
            "ALTER TABLE notes ADD COLUMN meta jsonb",
            "ALTER TABLE notes ALTER COLUMN body TYPE text",
            "ALTER TABLE notes ADD CONSTRAINT fk FOREIGN KEY (author) REFERENCES authors (id) NOT VALID",
            "ALTER TABLE notes ADD CONSTRAINT positive CHECK (id > 0) NOT VALID",
            "ALTER TABLE notes VALIDATE CONSTRAINT positive",
            "ALTER TABLE notes ADD CONSTRAINT u UNIQUE USING INDEX notes_body_key",
            "ALTER TABLE notes ADD CONSTRAINT notes_pkey PRIMARY KEY USING INDEX notes_id_key",
            "CREATE INDEX CONCURRENTLY notes_body ON notes (body)",
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS notes_body_key ON notes (body)",
            "VACUUM ANALYZE notes",
            "CREATE TABLE authors (id bigserial PRIMARY KEY, name text NOT NULL, meta jsonb)",
            "CREATE TABLE drafts (body text); INSERT INTO drafts (body) VALUES ('DROP TABLE notes; -- not a statement')",
            "ALTER TABLE notes ALTER COLUMN body SET DEFAULT 'x'",
            "ALTER TABLE notes ALTER COLUMN body DROP NOT NULL",
            "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql",
            "COMMENT ON TABLE notes IS 'notes; of users'"
    })
    void shouldAllowTheSafeForm(String sql) {
        LintReport report = expand(sql);

        assertThat(report.violations()).isEmpty();
        assertThat(report.verdict()).isEqualTo("allowed");
        assertThat(report.classification()).isEqualTo("expand");
    }

    @Test
    void shouldAllowAnythingOnATableCreatedInTheSameRelease() {
        LintReport report = expand("""
                CREATE TABLE authors (id bigint);
                CREATE INDEX authors_id ON authors (id);
                ALTER TABLE authors ADD CONSTRAINT authors_pkey PRIMARY KEY (id);
                ALTER TABLE authors ADD COLUMN token uuid DEFAULT gen_random_uuid();
                ALTER TABLE authors ALTER COLUMN id SET NOT NULL;
                """);

        assertThat(report.violations()).isEmpty();
    }

    @Test
    void shouldReadStringConstantsAsDataNotStatements() {
        LintReport insert = expand("INSERT INTO notes (body) VALUES ('DROP TABLE notes; -- not a statement')");
        LintReport update = expand("UPDATE notes SET body = $$ALTER TABLE x DROP COLUMN y$$ WHERE id = 1");

        assertThat(insert.statements()).isEqualTo(1);
        assertThat(insert.violations()).extracting(LintViolation::rule).containsExactly("insert-into-existing-table");
        assertThat(update.violations()).extracting(LintViolation::rule).containsExactly("backfill-required");
    }

    @Test
    void shouldAllowDestructiveChangesInAContractReleaseOnly() {
        String sql = "ALTER TABLE notes DROP COLUMN body;\nALTER TABLE notes RENAME COLUMN author TO writer";

        LintReport expand = expand(sql);
        LintReport contract = lint(ChangeKind.CONTRACT, sql);

        assertThat(expand.verdict()).isEqualTo("refused");
        assertThat(expand.classification()).isEqualTo("contract");
        assertThat(expand.violations()).extracting(LintViolation::line).containsExactly(1, 2);
        assertThat(contract.verdict()).isEqualTo("allowed");
        assertThat(contract.contract()).extracting(LintViolation::rule).containsExactly("drop-column", "rename-column");
    }

    @Test
    void shouldKeepRefusingOperationalHazardsInAContractRelease() {
        LintReport report = lint(ChangeKind.CONTRACT, "DROP TABLE old_notes;\nCREATE INDEX notes_body ON notes (body)");

        assertThat(report.verdict()).isEqualTo("refused");
        assertThat(report.violations()).extracting(LintViolation::rule).containsExactly("require-concurrent-index-creation");
    }

    @Test
    void shouldAllowSetNotNullInContractOnlyAfterAValidatedCheck() {
        LintReport unguarded = lint(ChangeKind.CONTRACT, "ALTER TABLE notes ALTER COLUMN body SET NOT NULL");
        LintReport guarded = lint(ChangeKind.CONTRACT,
                "ALTER TABLE notes ADD CONSTRAINT body_nn CHECK (body IS NOT NULL) NOT VALID",
                "ALTER TABLE notes VALIDATE CONSTRAINT body_nn",
                "ALTER TABLE notes ALTER COLUMN body SET NOT NULL");

        assertThat(unguarded.verdict()).isEqualTo("refused");
        assertThat(guarded.verdict()).isEqualTo("allowed");
        assertThat(guarded.contract()).extracting(LintViolation::rule).containsExactly("setting-not-null");
    }

    @Test
    void shouldRefuseConcurrentlyInsideATransactionOrBesideOtherStatements() {
        LintReport inBlock = expand("BEGIN;\nCREATE INDEX CONCURRENTLY i ON notes (body);\nCOMMIT;");
        List<LintViolation> concurrently = inBlock.violations().stream()
                .filter(v -> v.rule().equals("concurrently-in-transaction")).toList();
        LintReport beside = expand("ALTER TABLE notes ADD COLUMN a text;\nCREATE INDEX CONCURRENTLY i ON notes (a)");
        LintReport alone = expand("ALTER TABLE notes ADD COLUMN a text", "CREATE INDEX CONCURRENTLY i ON notes (a)");

        assertThat(concurrently).singleElement().extracting(LintViolation::line).isEqualTo(2);
        assertThat(inBlock.violations()).extracting(LintViolation::rule)
                .containsOnly("concurrently-in-transaction", "transaction-control");
        assertThat(beside.violations()).extracting(LintViolation::rule).containsExactly("concurrently-in-transaction");
        assertThat(alone.verdict()).isEqualTo("allowed");
    }

    @Test
    void shouldNameTheLineOfEachStatementAcrossCommentsAndStrings() {
        LintReport report = expand("""
                -- a comment; with a semicolon
                ALTER TABLE notes ADD COLUMN a text; /* block
                   comment; */ COMMENT ON TABLE notes IS 'x;
                y';
                ALTER TABLE notes DROP COLUMN b;
                """);

        assertThat(report.statements()).isEqualTo(3);
        assertThat(report.violations()).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo("drop-column");
            assertThat(v.line()).isEqualTo(5);
            assertThat(v.index()).isEqualTo(3);
            assertThat(v.statement()).isEqualTo("ALTER TABLE notes DROP COLUMN b");
        });
    }

    @Test
    void shouldRefuseWhatItCannotRead() {
        LintReport unterminated = expand("INSERT INTO notes (body) VALUES ('oops)");
        LintReport truncated = expand("ALTER TABLE notes RENAME COLUMN body");

        assertThat(unterminated.verdict()).isEqualTo("refused");
        assertThat(unterminated.violations()).extracting(LintViolation::rule).containsExactly("syntax");
        assertThat(truncated.violations()).extracting(LintViolation::rule).containsExactly("syntax");
        assertThat(truncated.violations().get(0).message()).contains("expected TO");
    }
}
