package dev.switchback.lint;

import java.util.List;
import java.util.Set;

/**
 * Statements that read or change rows. A schema migration changes no existing row: UPDATE, DELETE, MERGE,
 * INSERT ... SELECT, INSERT ... ON CONFLICT DO UPDATE and COPY FROM hold row locks on every row they touch for the
 * whole statement (ROW EXCLUSIVE on the table), so they belong in a backfill migration, which the migrator runs in
 * batches. A plain INSERT ... VALUES into an existing table is data too (the live version sees the rows, its
 * triggers and constraints act on them) and is refused on its own rule, which a release may override for reference
 * rows. Anything goes on a table the same release created: nobody reads it yet.
 */
final class DataClassifier {

    private static final Set<String> MODIFYING = Set.of("insert", "update", "delete", "merge");

    private DataClassifier() {
    }

    static Classification classify(Cursor c, RunState state) {
        String first = c.word();
        return switch (first) {
            case "insert" -> insert(c, state);
            case "update", "delete", "merge" -> change(first, c, state);
            case "copy" -> copy(c, state);
            case "truncate" -> truncate(c, state);
            case "explain" -> explain(c, state);
            case "with" -> with(c, state);
            default -> calls(select(c, state), c.tokens());
        };
    }

    /** Refuses a call of a function the lint does not know among the tokens the statement evaluates. */
    private static Classification calls(Classification result, List<Token> evaluated) {
        String unknown = Functions.firstUnknown(evaluated);
        return unknown == null ? result : result.refuse(Rule.FUNCTION_CALL, "the statement calls " + unknown
                + "(), a function the lint cannot see into: it may run any DDL");
    }

    private static Classification insert(Cursor c, RunState state) {
        c.expect("insert", "into");
        String table = c.name();
        Classification result = new Classification("InsertStmt").relation(table);
        if (c.accept("as")) {
            c.name();
        }
        c.skipParenthesised();
        calls(result, c.rest());
        if (state.isNew(table)) {
            return result;
        }
        c.accept("overriding", "system", "value");
        c.accept("overriding", "user", "value");
        if (c.at("select") || c.at("with") || c.at("table") || c.peek() != null && c.peek().isSymbol("(")
                || c.restHasSequence("do", "update")) {
            return result.refuse(Rule.BACKFILL_REQUIRED, "INSERT into " + table + (c.restHasSequence("do", "update")
                    ? " ... ON CONFLICT DO UPDATE changes existing rows" : " from a query copies rows in one statement,"
                    + " holding its locks throughout"));
        }
        return result.refuse(Rule.INSERT_INTO_EXISTING_TABLE, "INSERT into " + table + ", which the live version uses,"
                + " is a data change, not a schema change");
    }

    private static Classification change(String verb, Cursor c, RunState state) {
        c.next();
        if (verb.equals("delete")) {
            c.expect("from");
        } else if (verb.equals("merge")) {
            c.expect("into");
        }
        c.accept("only");
        String table = c.name();
        String kind = verb.equals("update") ? "UpdateStmt" : verb.equals("delete") ? "DeleteStmt" : "MergeStmt";
        Classification result = calls(new Classification(kind).relation(table), c.rest());
        if (state.isNew(table)) {
            return result;
        }
        boolean everyRow = !verb.equals("merge") && !c.restHas("where");
        return result.refuse(Rule.BACKFILL_REQUIRED, verb.toUpperCase(java.util.Locale.ROOT) + " on " + table + " changes"
                + (everyRow ? " every row" : " existing rows") + " in one statement, holding their row locks until"
                + " the migration commits");
    }

    /** COPY to or from a server file or PROGRAM reaches outside the database; COPY FROM STDIN is a data change. */
    private static Classification copy(Cursor c, RunState state) {
        c.expect("copy");
        Classification result = new Classification("CopyStmt");
        String table = null;
        if (c.peek() != null && c.peek().isSymbol("(")) {
            c.skipParenthesised();
        } else {
            table = c.name();
            result.relation(table);
            c.skipParenthesised();
        }
        boolean from = c.accept("from");
        if (!from) {
            c.expect("to");
        }
        if (c.at("program") || c.peek() != null && c.peek().kind() == Token.Kind.STRING) {
            return result.refuse(Rule.SERVER_ACCESS, "COPY " + (from ? "FROM" : "TO") + " a file or PROGRAM runs on the"
                    + " database server, as the server's user");
        }
        if (from && (table == null || !state.isNew(table))) {
            result.refuse(Rule.BACKFILL_REQUIRED, "COPY FROM into " + table + " loads rows in one statement");
        }
        return result;
    }

    private static Classification truncate(Cursor c, RunState state) {
        c.expect("truncate");
        c.accept("table");
        c.accept("only");
        List<String> tables = c.names();
        Classification result = new Classification("TruncateStmt");
        tables.forEach(result::relation);
        return tables.stream().allMatch(state::isNew) && !c.restHas("cascade") ? result : result.refuse(Rule.TRUNCATE,
                "TRUNCATE deletes every row of " + String.join(", ", tables) + " under ACCESS EXCLUSIVE");
    }

    /** EXPLAIN runs its statement only with ANALYZE; then the statement is judged as if it stood alone. */
    private static Classification explain(Cursor c, RunState state) {
        c.expect("explain");
        boolean analyze = false;
        while (!c.atEnd() && (c.peek().isSymbol("(") || c.at("analyze") || c.at("analyse") || c.at("verbose"))) {
            if (c.peek().isSymbol("(")) {
                analyze |= c.parenthesised().stream().anyMatch(t -> t.is("analyze") || t.is("analyse"));
            } else {
                analyze |= !c.next().is("verbose");
            }
        }
        Classification result = new Classification("ExplainStmt");
        if (analyze) {
            StatementClassifier.classify(c.rest(), state).findings().forEach(result::add);
        }
        return result;
    }

    /** WITH: the main statement decides the kind; a data-modifying CTE anywhere is a data change. */
    private static Classification with(Cursor c, RunState state) {
        List<Token> top = Cursor.depthZero(c.tokens());
        for (int i = 1; i < top.size(); i++) {
            Token t = top.get(i);
            if (MODIFYING.contains(t.text()) && t.kind() == Token.Kind.WORD && !top.get(i - 1).is("for")) {
                c.seek(c.tokens().indexOf(t));
                return classify(c, state);
            }
            if (t.is("select") || t.is("values") || t.is("table")) {
                break;
            }
        }
        Classification result = select(c, state);
        boolean modifies = false;
        for (int i = 0; i < c.tokens().size(); i++) {
            Token t = c.tokens().get(i);
            modifies |= t.kind() == Token.Kind.WORD && MODIFYING.contains(t.text()) && !(i > 0 && (c.tokens().get(i - 1)
                    .is("for") || c.tokens().get(i - 1).is("key")));
        }
        return modifies ? result.refuse(Rule.BACKFILL_REQUIRED, "a data-modifying WITH changes rows in one statement")
                : result;
    }

    /** SELECT reads (ACCESS SHARE), unless INTO creates a table or FOR UPDATE/SHARE locks rows. */
    private static Classification select(Cursor c, RunState state) {
        Classification result = new Classification("SelectStmt");
        List<Token> top = Cursor.depthZero(c.tokens());
        for (int i = 0; i + 1 < top.size(); i++) {
            if (top.get(i).is("into")) {
                Cursor at = new Cursor(top);
                at.seek(i + 1);
                at.accept("temporary");
                at.accept("temp");
                at.accept("unlogged");
                at.accept("table");
                String table = at.name();
                state.created(table);
                result.relation(table);
            }
            if (top.get(i).is("for") && Set.of("update", "share", "no", "key").contains(top.get(i + 1).text())) {
                result.refuse(Rule.LOCK_TABLE, "SELECT ... FOR " + top.get(i + 1).text().toUpperCase(java.util.Locale.ROOT)
                        + " locks the rows it reads until the migration commits");
            }
        }
        return result;
    }
}
