package dev.switchback.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one statement of a backfill migration, taken apart so the migrator can run it in batches, each its own short
 * transaction: {@code UPDATE <table> SET <setClause> WHERE ctid = ANY (ARRAY(SELECT ctid FROM <table> WHERE
 * (<whereClause>) LIMIT n FOR UPDATE))}, and the same with {@code DELETE FROM <table>}, until a batch touches no row.
 *
 * <p>Only {@code UPDATE [ONLY] table SET ... WHERE ...} and {@code DELETE FROM [ONLY] table WHERE ...} are accepted.
 * Everything that would not survive that rewrite, or would never finish, is refused with {@link SqlSyntaxException}:
 * <ul>
 *     <li>no WHERE: the batches must be able to tell rows still to change from rows done, or they never end;</li>
 *     <li>an UPDATE whose WHERE tests none of the columns its SET assigns: a changed row still matches, so the
 *     batches never end either (write e.g. {@code WHERE col IS NULL} or {@code WHERE col IS DISTINCT FROM ...});</li>
 *     <li>an alias ({@code UPDATE notes n SET ...}): the rewrite names the table twice, and the inner SELECT has no
 *     alias, so the statement is refused and must use the table's name instead (a documented choice: refusing keeps
 *     the record free of a part every caller would have to splice in);</li>
 *     <li>{@code FROM} / {@code USING} (joins), {@code RETURNING}, {@code WHERE CURRENT OF}, {@code WITH} (CTEs),
 *     and more than one statement.</li>
 * </ul>
 *
 * <p>Note for the batch runner: on a partitioned or inherited table a ctid is unique only within one partition, so
 * the outer statement should repeat the condition ({@code WHERE ctid = ANY (...) AND (<whereClause>)}) to touch
 * only rows that still need the change.
 *
 * @param table       table: the target exactly as written, schema and quotes kept, with a leading {@code ONLY }
 *                    when the statement had it, so it splices into both {@code UPDATE <table>} and
 *                    {@code SELECT ctid FROM <table>}
 * @param setClause   setClause: the text after SET, exactly as written (null for a DELETE)
 * @param whereClause whereClause: the text after WHERE, exactly as written
 * @param delete      delete: whether it is a DELETE (a contract change) rather than an UPDATE
 */
public record BackfillStatement(String table, String setClause, String whereClause, boolean delete) {

    private static final String FORM = "a backfill is one UPDATE table SET ... WHERE ... or DELETE FROM table WHERE ...";

    /** Words that end the target table of an UPDATE or DELETE; any other name after it is an alias. */
    private static final Set<String> AFTER_TARGET = Set.of("set", "where", "using", "returning", "from");

    /** Reads the one UPDATE or DELETE of a backfill, or says why it cannot be run in batches. */
    public static BackfillStatement parse(String sql) {
        List<SqlLexer.Statement> statements = SqlLexer.statements(sql == null ? "" : sql);
        if (statements.isEmpty()) {
            throw new SqlSyntaxException(1, "the backfill is empty: " + FORM);
        }
        if (statements.size() > 1) {
            throw new SqlSyntaxException(statements.get(1).line(), "a backfill holds exactly one statement, this one has "
                    + statements.size() + ": put each in a backfill migration of its own");
        }
        return new Reader(sql, statements.get(0).tokens()).read();
    }

    /** Reads one statement's tokens. */
    private static final class Reader {
        private final String sql;
        private final List<Token> tokens;
        private int pos;

        Reader(String sql, List<Token> tokens) {
            this.sql = sql;
            this.tokens = tokens;
        }

        BackfillStatement read() {
            Token first = tokens.get(0);
            if (first.is("with")) {
                throw error(first, "a backfill cannot start with WITH (a common table expression): " + FORM);
            }
            boolean delete = first.is("delete");
            if (!delete && !first.is("update")) {
                throw error(first, FORM + ", not " + first.text().toUpperCase(java.util.Locale.ROOT));
            }
            pos = 1;
            if (delete && !accept("from")) {
                throw error(peek(), "expected FROM after DELETE");
            }
            String table = target();
            String set = null;
            if (!delete) {
                if (!accept("set")) {
                    throw error(peek(), "expected SET after UPDATE " + table);
                }
                int setStart = pos;
                int setEnd = until("where");
                if (setEnd == setStart) {
                    throw error(peek(), "the SET clause is empty");
                }
                set = text(setStart, setEnd);
                pos = setEnd;
                List<String> assigned = assignedNames(setStart, setEnd);
                if (pos >= tokens.size()) {
                    throw noWhere();
                }
                pos++;
                int whereStart = pos;
                int whereEnd = until(null);
                checkWhere(whereStart, whereEnd);
                if (assigned.isEmpty()) {
                    throw error(tokens.get(setStart), "the SET clause assigns no column");
                }
                if (!mentionsAny(whereStart, whereEnd, assigned)) {
                    throw error(tokens.get(whereStart), "the WHERE clause tests none of the columns the SET assigns ("
                            + String.join(", ", assigned) + "), so a changed row still matches and the batches never"
                            + " end: test what still needs the change, e.g. WHERE " + assigned.get(0) + " IS NULL");
                }
                return new BackfillStatement(table, set, text(whereStart, whereEnd), false);
            }
            if (peek() != null && peek().is("using")) {
                throw error(peek(), "DELETE ... USING joins other tables; a backfill deletes from one table:"
                        + " use WHERE ... IN (SELECT ...) instead");
            }
            if (!accept("where")) {
                throw peek() == null ? noWhere() : error(peek(), "expected WHERE, found '" + peek().text() + "'");
            }
            int whereStart = pos;
            int whereEnd = until(null);
            checkWhere(whereStart, whereEnd);
            return new BackfillStatement(table, null, text(whereStart, whereEnd), true);
        }

        /** {@code [ONLY] name[.name...]}, refusing an alias. */
        private String target() {
            int start = pos;
            accept("only");
            int nameStart = pos;
            name();
            while (peek() != null && peek().isSymbol(".")) {
                pos++;
                name();
            }
            if (peek() != null && peek().isSymbol("*")) {
                throw error(peek(), "write the table without '*' (it means the same: the table and its children)");
            }
            String table = text(nameStart, pos);
            Token after = peek();
            if (after != null && (after.is("as") || after.isName() && !(after.kind() == Token.Kind.WORD
                    && AFTER_TARGET.contains(after.text())))) {
                throw error(after, "a backfill cannot use an alias for " + table + ": the migrator runs it in batches"
                        + " with the table named twice, so write " + table + " instead of the alias");
            }
            return start == nameStart ? table : "ONLY " + table;
        }

        private void name() {
            Token t = peek();
            if (t == null || !t.isName()) {
                throw error(t, "expected a table name" + (t == null ? " at the end" : ", found '" + t.text() + "'"));
            }
            pos++;
        }

        /**
         * The index of the first top-level {@code stop} word (or the end), refusing a top-level FROM (a join) or
         * RETURNING on the way. {@code IS [NOT] DISTINCT FROM} is an operator, not a join.
         */
        private int until(String stop) {
            int depth = 0;
            for (int i = pos; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                depth += t.isSymbol("(") || t.isSymbol("[") ? 1 : t.isSymbol(")") || t.isSymbol("]") ? -1 : 0;
                if (depth != 0) {
                    continue;
                }
                if (stop != null && t.is(stop)) {
                    return i;
                }
                if (t.is("from") && !(i > 0 && tokens.get(i - 1).is("distinct"))) {
                    throw error(t, "UPDATE ... FROM joins other tables; a backfill changes one table: use a subquery"
                            + " in SET or WHERE ... IN (SELECT ...) instead");
                }
                if (t.is("returning")) {
                    throw error(t, "a backfill cannot use RETURNING: it runs in batches and nothing reads the rows");
                }
            }
            return tokens.size();
        }

        private void checkWhere(int start, int end) {
            if (start == end) {
                throw error(peek(), "the WHERE clause is empty");
            }
            if (tokens.get(start).is("current") && start + 1 < end && tokens.get(start + 1).is("of")) {
                throw error(tokens.get(start), "a backfill cannot use WHERE CURRENT OF a cursor: say which rows still"
                        + " need the change");
            }
        }

        /**
         * The columns a SET clause assigns: in each top-level {@code target = value}, the first name of a plain
         * target ({@code col}, {@code col[1]}, {@code col.field}) or every name of a {@code (a, b)} target.
         */
        private List<String> assignedNames(int start, int end) {
            List<String> names = new ArrayList<>();
            int depth = 0;
            boolean inTarget = true;
            for (int i = start; i < end; i++) {
                Token t = tokens.get(i);
                if (depth == 0 && t.isSymbol(",")) {
                    inTarget = true;
                    continue;
                }
                if (depth == 0 && t.isSymbol("=")) {
                    inTarget = false;
                }
                if (inTarget && t.isName() && (depth == 1 || depth == 0 && (i == start || tokens.get(i - 1).isSymbol(",")))) {
                    names.add(t.text());
                }
                depth += t.isSymbol("(") || t.isSymbol("[") ? 1 : t.isSymbol(")") || t.isSymbol("]") ? -1 : 0;
            }
            return names;
        }

        private boolean mentionsAny(int start, int end, List<String> names) {
            for (int i = start; i < end; i++) {
                Token t = tokens.get(i);
                if (t.isName() && names.contains(t.text())) {
                    return true;
                }
            }
            return false;
        }

        private SqlSyntaxException noWhere() {
            Token last = tokens.get(tokens.size() - 1);
            return error(last, "a backfill needs a WHERE clause that says which rows still need the change, or its"
                    + " batches never end (e.g. WHERE new_col IS NULL)");
        }

        private boolean accept(String word) {
            if (peek() != null && peek().is(word)) {
                pos++;
                return true;
            }
            return false;
        }

        private Token peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        /** The input exactly as written from token {@code from} up to token {@code to} (exclusive). */
        private String text(int from, int to) {
            return sql.substring(tokens.get(from).start(), tokens.get(to - 1).end());
        }

        private SqlSyntaxException error(Token at, String message) {
            Token where = at != null ? at : tokens.get(tokens.size() - 1);
            return new SqlSyntaxException(where.line(), message);
        }
    }
}
