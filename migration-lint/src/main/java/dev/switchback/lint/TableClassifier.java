package dev.switchback.lint;

import java.util.List;

/**
 * CREATE TABLE and ALTER TABLE. A new table has no rows and no readers, so what follows on it in the same release
 * locks and breaks nobody; on an existing table each ALTER TABLE action is judged by {@link AlterTableActions}.
 */
final class TableClassifier {

    private TableClassifier() {
    }

    /**
     * CREATE TABLE, also {@code PARTITION OF} an existing parent (ACCESS EXCLUSIVE on the parent, but only for as
     * long as it takes to create an empty table) and {@code REFERENCES} an existing table (SHARE ROW EXCLUSIVE on
     * it, with no rows to validate): both are brief, and the migrator's lock timeout bounds the wait for them.
     * {@code CREATE TABLE ... AS} runs its query: functions in it must be known built-ins.
     */
    static Classification create(Cursor c, RunState state) {
        c.accept("foreign");
        c.expect("table");
        boolean mayExist = c.ifNotExists();
        String table = c.name();
        if (!mayExist) {
            state.created(table);
        }
        List<Token> rest = c.rest();
        if (Cursor.depthZero(rest).stream().anyMatch(t -> t.is("as"))) {
            Classification result = new Classification("CreateTableAsStmt").relation(table);
            String unknown = Functions.firstUnknown(rest);
            if (unknown != null) {
                result.refuse(Rule.FUNCTION_CALL, "CREATE TABLE " + table + " AS runs its query, which calls " + unknown
                        + "(), a function the lint cannot see into");
            }
            return result;
        }
        Classification result = new Classification("CreateStmt").relation(table);
        for (int i = 0; i + 1 < rest.size(); i++) {
            if (rest.get(i).is("references") || rest.get(i).is("like") && rest.get(i + 1).isName()
                    || rest.get(i).is("inherits") || rest.get(i).is("partition") && rest.get(i + 1).is("of")) {
                Cursor at = new Cursor(rest);
                at.seek(i + (rest.get(i).is("partition") ? 2 : 1));
                at.acceptSymbol("(");
                result.relation(at.name());
            }
        }
        if (rest.stream().anyMatch(t -> t.is("json"))) {
            result.refuse(Rule.PREFER_JSONB, "a json column keeps text as written and cannot be indexed or compared");
        }
        return result;
    }

    /** ALTER TABLE: renames and SET SCHEMA on their own, otherwise its list of actions. */
    static Classification alter(Cursor c, RunState state) {
        c.accept("foreign");
        c.expect("table");
        if (c.at("all", "in", "tablespace")) {
            return new Classification("AlterTableMoveAllStmt").refuse(Rule.TABLE_REWRITE,
                    "ALTER TABLE ALL IN TABLESPACE moves every table's files under ACCESS EXCLUSIVE");
        }
        c.ifExists();
        c.accept("only");
        String table = c.name();
        c.acceptSymbol("*");
        boolean isNew = state.isNew(table);
        if (c.at("rename")) {
            return rename(c, table, isNew, state);
        }
        if (c.accept("set", "schema")) {
            Classification result = new Classification("AlterObjectSchemaStmt").relation(table);
            return isNew ? result : result.refuse(Rule.RENAME_OBJECT, "moving " + table + " to schema " + c.name()
                    + " renames it for the live version, which uses the old name");
        }
        Classification result = new Classification("AlterTableStmt").relation(table);
        List<List<Token>> actions = Cursor.splitTopLevel(c.rest());
        if (actions.isEmpty()) {
            throw c.error("ALTER TABLE " + table + " has no action");
        }
        for (List<Token> action : actions) {
            AlterTableActions.judge(table, isNew, new Cursor(action), state, result);
        }
        return result;
    }

    private static Classification rename(Cursor c, String table, boolean isNew, RunState state) {
        c.expect("rename");
        Classification result;
        if (c.accept("to")) {
            String to = c.name();
            if (isNew) {
                state.created(to);
            }
            result = new Classification("RenameStmt:OBJECT_TABLE").relation(table);
            return isNew ? result : result.refuse(Rule.RENAME_TABLE, "renaming " + table + " to " + to
                    + " breaks the live version, which uses the old name");
        }
        if (c.accept("constraint")) {
            String from = c.name();
            c.expect("to");
            result = new Classification("RenameStmt:OBJECT_TABCONSTRAINT").relation(table);
            return isNew ? result : result.refuse(Rule.RENAME_OBJECT, "renaming constraint " + from + " of " + table
                    + " to " + c.name() + " breaks code and migrations that name it");
        }
        c.accept("column");
        String from = c.name();
        c.expect("to");
        String to = c.name();
        result = new Classification("RenameStmt:OBJECT_COLUMN").relation(table);
        return isNew ? result : result.refuse(Rule.RENAME_COLUMN, "renaming " + table + "." + from + " to " + to
                + " breaks the live version, which uses the old name");
    }
}
