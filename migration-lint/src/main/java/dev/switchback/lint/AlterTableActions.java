package dev.switchback.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Judges one action of ALTER TABLE by PostgreSQL's per-subcommand lock levels (ALTER TABLE reference page): on a
 * table created in the same release only json and the kind of change matter; on an existing table an action that
 * rewrites or scans under a strong lock, validates as it adds, or narrows what the live version may do is refused.
 * An action the lint does not know is refused (default deny).
 */
final class AlterTableActions {

    /** Words that end a column's type in ADD COLUMN. */
    private static final Set<String> CONSTRAINT_WORDS = Set.of("default", "not", "null", "constraint", "references",
            "check", "unique", "primary", "collate", "generated", "using", "compression");
    private static final Set<String> SERIAL_TYPES = Set.of("serial", "bigserial", "smallserial", "serial2", "serial4",
            "serial8");
    /** Types every smaller type of their family converts to without a rewrite (binary coercible, no length check). */
    private static final Set<String> SAFE_WIDENINGS = Set.of("text", "varchar", "character varying", "numeric",
            "decimal");

    private AlterTableActions() {
    }

    static void judge(String table, boolean isNew, Cursor c, RunState state, Classification into) {
        String first = c.next().text();
        switch (first) {
            case "add" -> add(table, isNew, c, state, into);
            case "drop" -> drop(table, isNew, c, into);
            case "alter" -> {
                if (c.at("constraint")) {
                    refuseUnlessNew(isNew, into, Rule.UNKNOWN_STATEMENT, "the lint does not judge ALTER CONSTRAINT:"
                            + " deferring a constraint moves the live version's errors to commit");
                } else {
                    alterColumn(table, isNew, c, state, into);
                }
            }
            case "validate" -> {
                c.expect("constraint");
                state.validated(c.name());
            }
            case "set" -> set(table, isNew, c, into);
            case "reset", "replica", "cluster" -> {
                // RESET (storage parameters), REPLICA IDENTITY, CLUSTER ON: catalog only, no rewrite.
            }
            case "enable" -> {
                if (c.restHasSequence("row", "level", "security") && !isNew) {
                    into.refuse(Rule.PRIVILEGES, "ENABLE ROW LEVEL SECURITY on " + table
                            + " hides every row the live version's role has no policy for");
                }
            }
            case "force", "no" -> {
                if (c.at("inherit")) {
                    c.next();
                    into.relation(c.name());
                    refuseUnlessNew(isNew, into, Rule.DROP_OBJECT, "NO INHERIT takes the child's rows out of "
                            + "queries on the parent");
                } else if (!isNew) {
                    into.refuse(Rule.PRIVILEGES, "changing ROW LEVEL SECURITY of " + table + " changes which rows"
                            + " the live version sees");
                }
            }
            case "disable" -> {
                if (c.accept("trigger")) {
                    refuseUnlessNew(isNew, into, Rule.DROP_TRIGGER, "DISABLE TRIGGER on " + table + " stops what the"
                            + " trigger keeps in step (ALL also switches foreign key checks off)");
                } else if (c.accept("rule")) {
                    refuseUnlessNew(isNew, into, Rule.DROP_OBJECT, "DISABLE RULE on " + table
                            + " changes what the live version's statements do");
                } else if (!isNew) {
                    into.refuse(Rule.PRIVILEGES, "DISABLE ROW LEVEL SECURITY on " + table + " shows every row to"
                            + " every role");
                }
            }
            case "attach" -> {
                c.expect("partition");
                into.relation(c.name());
                refuseUnlessNew(isNew, into, Rule.ATTACH_PARTITION, "ATTACH PARTITION scans the partition (and the"
                        + " default partition) under ACCESS EXCLUSIVE to check its bound");
            }
            case "detach" -> {
                c.expect("partition");
                into.relation(c.name());
                refuseUnlessNew(isNew, into, Rule.DROP_OBJECT, "DETACH PARTITION takes its rows out of queries on "
                        + table + (c.restHas("concurrently") ? "" : ", under ACCESS EXCLUSIVE"));
            }
            case "inherit" -> {
                into.relation(c.name());
                refuseUnlessNew(isNew, into, Rule.ATTACH_PARTITION, "INHERIT adds " + table + "'s rows to queries on"
                        + " the parent, under ACCESS EXCLUSIVE");
            }
            case "owner" -> into.refuse(Rule.ROLE_CHANGE, "changing the owner of " + table
                    + " changes which roles may use and alter it");
            default -> {
                if (!isNew) {
                    into.refuse(Rule.UNKNOWN_STATEMENT, "the lint does not know ALTER TABLE ... "
                            + first.toUpperCase(Locale.ROOT) + " to be safe on an existing table");
                }
            }
        }
    }

    private static void add(String table, boolean isNew, Cursor c, RunState state, Classification into) {
        if (c.at("constraint") || c.at("check") || c.at("foreign") || c.at("unique") || c.at("primary")
                || c.at("exclude")) {
            addConstraint(table, isNew, c, state, into);
            return;
        }
        c.accept("column");
        c.ifNotExists();
        String column = c.name();
        List<Token> type = new ArrayList<>();
        while (!c.atEnd() && !CONSTRAINT_WORDS.contains(c.word())) {
            type.add(c.next());
        }
        if (type.isEmpty()) {
            throw c.error("missing the type of column " + column);
        }
        String typeText = Cursor.text(type).toLowerCase(Locale.ROOT);
        if (type.stream().anyMatch(t -> t.is("json"))) {
            into.refuse(Rule.PREFER_JSONB, "a json column keeps text as written and cannot be indexed or compared");
        }
        List<Token> constraints = c.rest();
        Cursor at = new Cursor(constraints);
        for (int i = 0; i < constraints.size(); i++) {
            at.seek(i);
            if (at.at("references")) {
                at.next();
                into.relation(at.name());
            }
        }
        if (isNew) {
            return;
        }
        List<Token> top = Cursor.depthZero(constraints);
        boolean hasDefault = top.stream().anyMatch(t -> t.is("default"));
        String label = table + "." + column;
        if (SERIAL_TYPES.contains(typeText)) {
            into.refuse(Rule.ADDING_FIELD_WITH_VOLATILE_DEFAULT, "a " + typeText + " column fills every existing row"
                    + " from a sequence, rewriting " + table + " under ACCESS EXCLUSIVE");
        } else if (top.stream().anyMatch(t -> t.is("generated"))) {
            into.refuse(Rule.ADDING_FIELD_WITH_VOLATILE_DEFAULT, "a generated column (identity or STORED) computes a"
                    + " value for every existing row, rewriting " + table + " under ACCESS EXCLUSIVE");
        } else if (hasDefault) {
            String call = Functions.firstPossiblyVolatile(defaultExpression(constraints));
            if (call != null) {
                into.refuse(Rule.ADDING_FIELD_WITH_VOLATILE_DEFAULT, "the default " + call + "() "
                        + (Functions.VOLATILE.contains(call) ? "is volatile" : "is not a built-in known to be non-volatile")
                        + ": PostgreSQL computes it for every row, rewriting " + table + " under ACCESS EXCLUSIVE");
            }
        }
        if (top.stream().anyMatch(t -> t.is("not")) && top.stream().anyMatch(t -> t.is("null")) && !hasDefault
                || top.stream().anyMatch(t -> t.is("primary")) && !hasDefault) {
            into.refuse(Rule.ADDING_REQUIRED_FIELD, "a NOT NULL column " + label + " without a default fails on a table"
                    + " with rows, and the live version does not write it");
        }
        if (top.stream().anyMatch(t -> t.is("references")) || top.stream().anyMatch(t -> t.is("check"))) {
            into.refuse(Rule.ADDING_NOT_VALID_CONSTRAINT, "a REFERENCES or CHECK on the new column " + label
                    + " is validated against every row as it is added, and cannot be NOT VALID inline");
        }
        if (top.stream().anyMatch(t -> t.is("unique") || t.is("primary"))) {
            into.refuse(Rule.DISALLOWED_UNIQUE_CONSTRAINT, "a UNIQUE or PRIMARY KEY on the new column " + label
                    + " builds its index while blocking reads and writes of " + table);
        }
    }

    /** The tokens of {@code DEFAULT expr} up to the next constraint word at depth 0. */
    private static List<Token> defaultExpression(List<Token> constraints) {
        List<Token> expression = new ArrayList<>();
        int depth = 0;
        boolean in = false;
        for (Token t : constraints) {
            if (depth == 0 && t.kind() == Token.Kind.WORD && CONSTRAINT_WORDS.contains(t.text())) {
                in = t.is("default");
                if (in) {
                    continue;
                }
            }
            depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
            if (in) {
                expression.add(t);
            }
        }
        return expression;
    }

    private static void addConstraint(String table, boolean isNew, Cursor c, RunState state, Classification into) {
        String name = c.accept("constraint") ? c.name() : null;
        String kind = c.next().text();
        boolean notValid = c.restHasSequence("not", "valid");
        boolean usingIndex = c.restHasSequence("using", "index");
        List<Token> rest = c.rest();
        for (int i = 0; i + 1 < rest.size(); i++) {
            if (rest.get(i).is("references")) {
                Cursor at = new Cursor(rest);
                at.seek(i + 1);
                into.relation(at.name());
            }
        }
        if (kind.equals("check") && name != null && !c.atEnd() && c.peek().isSymbol("(")) {
            List<Token> check = c.parenthesised().stream().filter(t -> !t.isSymbol("(") && !t.isSymbol(")")).toList();
            if (check.size() == 4 && check.get(0).isName() && check.get(1).is("is") && check.get(2).is("not")
                    && check.get(3).is("null")) {
                state.notNullCheck(name, table, check.get(0).text());
            }
        }
        if (isNew) {
            return;
        }
        String label = kind.equals("foreign") ? "FOREIGN KEY" : kind.equals("primary") ? "PRIMARY KEY"
                : kind.toUpperCase(Locale.ROOT);
        if ((kind.equals("check") || kind.equals("foreign")) && !notValid) {
            into.refuse(Rule.ADDING_NOT_VALID_CONSTRAINT, "adding a " + label + " constraint validates every row of "
                    + table + " while blocking its writes" + (kind.equals("foreign") ? " and the referenced table's" : ""));
        }
        if ((kind.equals("unique") || kind.equals("primary")) && !usingIndex || kind.equals("exclude")) {
            into.refuse(Rule.DISALLOWED_UNIQUE_CONSTRAINT, "adding a " + label + " constraint builds its index while"
                    + " blocking reads and writes of " + table);
        }
    }

    private static void drop(String table, boolean isNew, Cursor c, Classification into) {
        if (c.accept("constraint")) {
            c.ifExists();
            String name = c.name();
            refuseUnlessNew(isNew, into, Rule.DROP_CONSTRAINT, "dropping constraint " + name + " of " + table
                    + " removes a guarantee the live version may rely on (ON CONFLICT, cascades, valid data)");
            return;
        }
        c.accept("column");
        c.ifExists();
        String column = c.name();
        refuseUnlessNew(isNew, into, Rule.DROP_COLUMN, "dropping " + table + "." + column
                + " breaks the live version if it still reads or writes it");
    }

    private static void alterColumn(String table, boolean isNew, Cursor c, RunState state, Classification into) {
        c.accept("column");
        String column = c.name();
        String label = table + "." + column;
        if (c.accept("set", "data", "type") || c.accept("type")) {
            List<Token> type = new ArrayList<>();
            while (!c.atEnd() && !c.at("using") && !c.at("collate")) {
                type.add(c.next());
            }
            String target = Cursor.text(type).toLowerCase(Locale.ROOT);
            // USING converts every value; COLLATE changes the sort order, so the column's indexes are rebuilt.
            if (!isNew && (!SAFE_WIDENINGS.contains(target) || c.at("using") || c.at("collate"))) {
                into.refuse(Rule.CHANGING_COLUMN_TYPE, "changing " + label + " to " + target + " is not a known"
                        + " binary-coercible widening: it rewrites " + table + " under ACCESS EXCLUSIVE and may break the"
                        + " live version");
            }
        } else if (c.accept("set", "not", "null")) {
            if (!isNew) {
                boolean proven = state.notNullProven(table, column);
                into.add(new Finding(Rule.SETTING_NOT_NULL, "SET NOT NULL on " + label + " narrows what the live"
                        + " version may write" + (proven ? "" : ", and without a validated CHECK (" + column
                        + " IS NOT NULL) it scans the table under ACCESS EXCLUSIVE"), Rule.SETTING_NOT_NULL.alternative()
                        .replace("col", column), proven));
            }
        } else if (c.accept("drop", "not", "null") || c.accept("set", "default") || c.at("set", "statistics")
                || c.at("set", "storage") || c.at("set", "compression") || c.at("set") && c.peek(1) != null
                && c.peek(1).isSymbol("(") || c.at("reset") || c.at("add", "generated")) {
            // Widening, a default for future inserts, planner and storage settings, a new identity: catalog only.
        } else if (c.at("drop", "default") || c.at("drop", "identity") || c.at("drop", "expression")) {
            refuseUnlessNew(isNew, into, Rule.DROP_DEFAULT, "dropping the " + c.peek(1).text() + " of " + label
                    + " changes what the live version's inserts that leave it out store");
        } else if (!isNew) {
            into.refuse(Rule.REPLACE_OBJECT, "ALTER COLUMN " + label + " " + Cursor.text(c.rest())
                    + " changes how the live version's writes behave (identity sequence, generation)");
        }
    }

    private static void set(String table, boolean isNew, Cursor c, Classification into) {
        if (c.at("tablespace") || c.at("logged") || c.at("unlogged") || c.at("access", "method")) {
            refuseUnlessNew(isNew, into, Rule.TABLE_REWRITE, "SET " + c.word().toUpperCase(Locale.ROOT)
                    + " rewrites (or moves) " + table + " under ACCESS EXCLUSIVE");
        } else if (c.at("without")) {
            // SET WITHOUT CLUSTER / OIDS: catalog only.
        } else if (c.peek() == null || !c.peek().isSymbol("(")) {
            if (!isNew) {
                into.refuse(Rule.UNKNOWN_STATEMENT, "the lint does not know ALTER TABLE ... SET "
                        + c.word().toUpperCase(Locale.ROOT) + " to be safe");
            }
        }
        // SET (storage parameters): SHARE UPDATE EXCLUSIVE, catalog only.
    }

    private static void refuseUnlessNew(boolean isNew, Classification into, Rule rule, String message) {
        if (!isNew) {
            into.refuse(rule, message);
        }
    }
}
