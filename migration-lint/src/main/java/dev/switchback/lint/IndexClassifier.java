package dev.switchback.lint;

import java.util.List;

/** CREATE, DROP, ALTER INDEX and REINDEX: CONCURRENTLY or a new table, else the table's writes (or reads) wait. */
final class IndexClassifier {

    private IndexClassifier() {
    }

    /** CREATE INDEX: SHARE on the table for the whole build, unless CONCURRENTLY (SHARE UPDATE EXCLUSIVE). */
    static Classification create(Cursor c, RunState state) {
        c.accept("unique");
        c.expect("index");
        boolean concurrently = c.accept("concurrently");
        boolean mayExist = c.ifNotExists();
        String name = c.at("on") ? null : c.name();
        c.expect("on");
        c.accept("only");
        String table = c.name();
        if (name != null && !mayExist) {
            state.created(name);
        }
        Classification result = new Classification("IndexStmt").relation(table);
        if (concurrently) {
            return result.mustRunAlone();
        }
        return state.isNew(table) ? result : result.refuse(Rule.REQUIRE_CONCURRENT_INDEX_CREATION,
                "CREATE INDEX without CONCURRENTLY blocks writes to " + table + " while the index builds");
    }

    /** The name of the index a {@code CREATE INDEX CONCURRENTLY} statement builds, or null for any other statement. */
    public static String concurrentIndexName(SqlLexer.Statement statement) {
        Cursor c = new Cursor(statement.tokens());
        try {
            if (c.accept("create") && (c.accept("index") || c.accept("unique", "index")) && c.accept("concurrently")) {
                c.ifNotExists();
                return c.at("on") ? null : c.name();
            }
        } catch (SqlSyntaxException e) {
            return null;
        }
        return null;
    }

    /** DROP INDEX: ACCESS EXCLUSIVE on the table unless CONCURRENTLY; a contract change either way. */
    static Classification drop(Cursor c, RunState state) {
        c.expect("drop", "index");
        boolean concurrently = c.accept("concurrently");
        c.ifExists();
        List<String> names = c.names();
        boolean cascade = c.accept("cascade");
        Classification result = new Classification("DropStmt:OBJECT_INDEX");
        names.forEach(result::relation);
        if (concurrently) {
            result.mustRunAlone();
        }
        if (names.stream().allMatch(state::isNew) && !cascade) {
            return result;
        }
        if (!concurrently) {
            result.refuse(Rule.REQUIRE_CONCURRENT_INDEX_DELETION, "DROP INDEX without CONCURRENTLY blocks reads and"
                    + " writes of its table");
        }
        return result.refuse(Rule.DROP_INDEX, "dropping " + String.join(", ", names) + " may break the live version's"
                + " ON CONFLICT (a unique index) or slow its queries to scans");
    }

    /** ALTER INDEX: renames are contract changes, SET TABLESPACE moves it under ACCESS EXCLUSIVE. */
    static Classification alter(Cursor c, RunState state) {
        c.expect("index");
        if (c.at("all", "in", "tablespace")) {
            return new Classification("AlterTableMoveAllStmt").refuse(Rule.TABLE_REWRITE,
                    "ALTER INDEX ALL IN TABLESPACE moves every index under ACCESS EXCLUSIVE");
        }
        c.ifExists();
        String index = c.name();
        boolean isNew = state.isNew(index);
        if (c.accept("rename", "to")) {
            String to = c.name();
            if (isNew) {
                state.created(to);
            }
            Classification result = new Classification("RenameStmt:OBJECT_INDEX").relation(index);
            return isNew ? result : result.refuse(Rule.RENAME_OBJECT, "renaming index " + index + " to " + to
                    + " breaks code and migrations that name it");
        }
        Classification result = new Classification("AlterTableStmt").relation(index);
        if (c.at("set", "tablespace") && !isNew) {
            return result.refuse(Rule.TABLE_REWRITE, "SET TABLESPACE moves " + index + " under ACCESS EXCLUSIVE");
        }
        if (c.at("attach", "partition") || c.at("set") || c.at("reset") || c.at("alter")) {
            return result;
        }
        return isNew ? result : result.refuse(Rule.UNKNOWN_STATEMENT, "the lint does not know ALTER INDEX ... "
                + c.word().toUpperCase(java.util.Locale.ROOT) + " to be safe");
    }

    /** REINDEX: blocks writes and the index's readers unless CONCURRENTLY. */
    static Classification reindex(Cursor c, RunState state) {
        c.expect("reindex");
        boolean concurrently = false;
        if (!c.atEnd() && c.peek().isSymbol("(")) {
            concurrently = c.parenthesised().stream().anyMatch(t -> t.is("concurrently"));
        }
        String what = c.next().text();
        concurrently |= c.accept("concurrently");
        Classification result = new Classification("ReindexStmt");
        String name = c.atEnd() ? null : c.name();
        if (name != null && (what.equals("index") || what.equals("table"))) {
            result.relation(name);
        }
        if (concurrently) {
            return result.mustRunAlone();
        }
        return name != null && state.isNew(name) ? result : result.refuse(Rule.REINDEX, "REINDEX " + what.toUpperCase(
                java.util.Locale.ROOT) + " without CONCURRENTLY blocks writes and the reads that use the index");
    }
}
