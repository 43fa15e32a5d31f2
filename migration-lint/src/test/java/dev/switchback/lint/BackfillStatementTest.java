package dev.switchback.lint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The backfill forms the migrator can run in batches, taken apart with their original text, and those it cannot. */
class BackfillStatementTest {

    @Test
    void shouldTakeAnUpdateApartKeepingTheOriginalText() {
        BackfillStatement backfill = BackfillStatement.parse("""
                -- fill the new column
                UPDATE notes SET title = 'it''s ; untitled', "Slug" = lower(body)
                 WHERE title IS NULL AND body <> $$x; y$$;
                """);

        assertThat(backfill.table()).isEqualTo("notes");
        assertThat(backfill.setClause()).isEqualTo("title = 'it''s ; untitled', \"Slug\" = lower(body)");
        assertThat(backfill.whereClause()).isEqualTo("title IS NULL AND body <> $$x; y$$");
        assertThat(backfill.delete()).isFalse();
    }

    @Test
    void shouldKeepSchemaQuotesAndOnlyInTheTable() {
        BackfillStatement backfill = BackfillStatement.parse(
                "update ONLY \"App\".notes set author_id = (select a.id from authors a where a.name = notes.author)"
                        + " where author_id is null");

        assertThat(backfill.table()).isEqualTo("ONLY \"App\".notes");
        assertThat(backfill.setClause()).isEqualTo("author_id = (select a.id from authors a where a.name = notes.author)");
        assertThat(backfill.whereClause()).isEqualTo("author_id is null");
    }

    @Test
    void shouldTakeADeleteApart() {
        BackfillStatement backfill = BackfillStatement.parse("DELETE FROM public.sessions WHERE expires < now() - interval '30 days'");

        assertThat(backfill.table()).isEqualTo("public.sessions");
        assertThat(backfill.setClause()).isNull();
        assertThat(backfill.whereClause()).isEqualTo("expires < now() - interval '30 days'");
        assertThat(backfill.delete()).isTrue();
    }

    @Test
    void shouldAcceptRowTargetsAndDistinctFromInTheSet() {
        BackfillStatement backfill = BackfillStatement.parse(
                "UPDATE notes SET (a, b) = (1, 2), flag = x IS DISTINCT FROM y WHERE b IS NULL");

        assertThat(backfill.setClause()).isEqualTo("(a, b) = (1, 2), flag = x IS DISTINCT FROM y");
        assertThat(backfill.whereClause()).isEqualTo("b IS NULL");
    }

    @ParameterizedTest(name = "refuses {0}")
    @CsvSource(delimiter = '|', textBlock = """
            UPDATE notes SET a = 1                                         | WHERE clause
            DELETE FROM notes                                              | WHERE clause
            UPDATE notes SET a = 1 WHERE a IS NULL; UPDATE notes SET b = 1 WHERE b IS NULL | exactly one statement
            UPDATE notes SET a = a.x FROM other a WHERE notes.a IS NULL    | FROM joins
            DELETE FROM notes USING other WHERE notes.id = other.id        | USING joins
            UPDATE notes SET a = 1 WHERE a IS NULL RETURNING id            | RETURNING
            DELETE FROM notes WHERE id < 10 RETURNING *                    | RETURNING
            UPDATE notes SET a = 1 WHERE CURRENT OF c                      | CURRENT OF
            WITH x AS (SELECT 1) UPDATE notes SET a = 1 WHERE a IS NULL    | WITH
            UPDATE notes n SET a = 1 WHERE n.a IS NULL                     | alias
            UPDATE notes AS n SET a = 1 WHERE n.a IS NULL                  | alias
            DELETE FROM notes n WHERE n.id < 10                            | alias
            UPDATE notes SET status = 'done' WHERE created < '2020-01-01'  | never end
            INSERT INTO notes (a) VALUES (1)                               | one UPDATE
            ALTER TABLE notes ADD COLUMN a text                            | one UPDATE
            DELETE notes WHERE id = 1                                      | expected FROM
            UPDATE notes WHERE a IS NULL                                   | expected SET
            UPDATE notes SET WHERE a IS NULL                               | SET clause is empty
            UPDATE notes SET a = 1 WHERE                                   | WHERE clause is empty
            '   -- nothing'                                                | empty
            """)
    void shouldRefuseWhatCannotRunInBatches(String sql, String reason) {
        assertThatThrownBy(() -> BackfillStatement.parse(sql))
                .isInstanceOf(SqlSyntaxException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void shouldNameTheLineOfTheSecondStatement() {
        assertThatThrownBy(() -> BackfillStatement.parse("UPDATE a SET x = 1 WHERE x IS NULL;\nDELETE FROM b WHERE y"))
                .isInstanceOfSatisfying(SqlSyntaxException.class, e -> assertThat(e.line()).isEqualTo(2));
    }
}
