package dev.switchback.lint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses unsafe DDL before anything touches a database: the rules of squawk and strong_migrations for
 * PostgreSQL, applied to the parse tree of every statement. Destructive (contract) changes are refused in the
 * expand release and allowed in a contract release; operational hazards (long locks, rewrites) are refused in both.
 */
public final class MigrationLinter {

    /**
     * One migration to lint.
     *
     * @param backfill whether it is a backfill (a change to existing rows, run by the migrator in batches) rather than
     *                 a schema change
     */
    public record Script(String version, String sql, boolean backfill) {

        /** A schema migration. */
        public Script(String version, String sql) {
            this(version, sql, false);
        }
    }

    private static final Set<String> VOLATILE_FUNCTIONS = Set.of("random", "gen_random_uuid", "uuid_generate_v1",
            "uuid_generate_v1mc", "uuid_generate_v4", "clock_timestamp", "timeofday", "nextval", "setval",
            "txid_current", "pg_current_xact_id");
    private static final Set<String> SERIAL_TYPES = Set.of("serial", "bigserial", "smallserial", "serial4", "serial8",
            "serial2");
    /** Target types every smaller type of its family converts to without a table rewrite. */
    private static final Set<String> SAFE_WIDENINGS = Set.of("text", "varchar", "character varying", "numeric",
            "decimal");

    private MigrationLinter() {
    }

    public static LintReport lint(List<Script> scripts, ChangeKind changeKind) {
        return lint(scripts, changeKind, Set.of());
    }

    /**
     * Lints with the rules a release explicitly overrides: their violations are reported as overridden instead of
     * refusing the release. What overrides a rule, and who approved it, is the caller's to record.
     */
    public static LintReport lint(List<Script> scripts, ChangeKind changeKind, Set<String> overriddenRules) {
        return new Run(changeKind).lint(scripts, overriddenRules);
    }

    /** The state of one lint run: what the earlier statements already did. */
    private static final class Run {
        private final ChangeKind changeKind;
        private final Set<String> newTables = new HashSet<>();
        private final Set<String> notValidNotNullChecks = new HashSet<>();
        private final Set<String> validatedNotNullColumns = new HashSet<>();
        private final java.util.Map<String, String> checkColumns = new java.util.HashMap<>();
        private final List<LintViolation> found = new ArrayList<>();
        private int statements;
        private String version;
        private SqlLexer.Statement statement;

        Run(ChangeKind changeKind) {
            this.changeKind = changeKind;
        }

        LintReport lint(List<Script> scripts, Set<String> overriddenRules) {
            for (Script script : scripts) {
                version = script.version();
                List<SqlLexer.Statement> parsed;
                try {
                    parsed = SqlLexer.statements(script.sql());
                } catch (SqlSyntaxException e) {
                    statement = new SqlLexer.Statement(0, e.line(), script.sql(), List.of());
                    violation("syntax", "cannot read the migration: " + e.getMessage(),
                            "fix the SQL; the lint refuses what it cannot read", false);
                    continue;
                }
                List<Ddl> trees = new ArrayList<>();
                for (SqlLexer.Statement s : parsed) {
                    statement = s;
                    statements++;
                    try {
                        trees.add(DdlParser.parse(s));
                    } catch (SqlSyntaxException e) {
                        trees.add(new Ddl.Other("unreadable"));
                        violation("syntax", "cannot read the statement: " + e.getMessage(),
                                "fix the SQL; the lint refuses what it cannot read", false);
                    }
                }
                concurrency(parsed, trees);
                for (int i = 0; i < parsed.size(); i++) {
                    statement = parsed.get(i);
                    check(trees.get(i));
                }
            }
            List<LintViolation> refusing = found.stream()
                    .filter(v -> changeKind == ChangeKind.EXPAND || !v.destructive())
                    .toList();
            List<LintViolation> overridden = refusing.stream().filter(v -> overriddenRules.contains(v.rule())).toList();
            refusing = refusing.stream().filter(v -> !overriddenRules.contains(v.rule())).toList();
            List<LintViolation> contract = found.stream().filter(LintViolation::destructive).toList();
            return new LintReport(changeKind.value(), refusing.isEmpty() ? LintReport.ALLOWED : LintReport.REFUSED,
                    contract.isEmpty() ? ChangeKind.EXPAND.value() : ChangeKind.CONTRACT.value(), statements, refusing,
                    contract, overridden);
        }

        /** CONCURRENTLY cannot run in a transaction: it must be alone in its migration, outside BEGIN/COMMIT. */
        private void concurrency(List<SqlLexer.Statement> parsed, List<Ddl> trees) {
            boolean inBlock = false;
            for (int i = 0; i < trees.size(); i++) {
                Ddl tree = trees.get(i);
                statement = parsed.get(i);
                if (tree instanceof Ddl.TransactionControl control) {
                    inBlock = control.begins();
                    continue;
                }
                boolean concurrent = tree instanceof Ddl.CreateIndex c && c.concurrently()
                        || tree instanceof Ddl.DropIndex d && d.concurrently();
                if (concurrent && (inBlock || trees.size() > 1)) {
                    violation("concurrently-in-transaction", "CONCURRENTLY cannot run inside a transaction, and a"
                                    + " migration with other statements runs in one",
                            "put the CONCURRENTLY statement alone in a migration of its own, without BEGIN/COMMIT", false);
                }
            }
        }

        private void check(Ddl tree) {
            if (tree instanceof Ddl.CreateTable create) {
                newTables.add(simple(create.table()));
                if (mentionsJson(statement.tokens())) {
                    preferJsonb();
                }
            } else if (tree instanceof Ddl.AlterTable alter) {
                for (Ddl.Action action : alter.actions()) {
                    check(alter.table(), action);
                }
            } else if (tree instanceof Ddl.CreateIndex index) {
                if (!index.concurrently() && !newTables.contains(simple(index.table()))) {
                    violation("require-concurrent-index-creation", "CREATE INDEX without CONCURRENTLY blocks writes to "
                                    + index.table() + " while the index builds",
                            "CREATE INDEX CONCURRENTLY, alone in its migration", false);
                }
            } else if (tree instanceof Ddl.DropIndex drop) {
                if (!drop.concurrently()) {
                    violation("require-concurrent-index-deletion", "DROP INDEX without CONCURRENTLY blocks reads and"
                                    + " writes of its table", "DROP INDEX CONCURRENTLY, alone in its migration", false);
                }
            } else if (tree instanceof Ddl.DropObject drop) {
                String type = drop.objectType();
                if (Set.of("table", "schema", "database").contains(type)) {
                    violation("drop-" + type, "DROP " + type.toUpperCase(Locale.ROOT) + " destroys data that the live"
                                    + " version may still use",
                            "stop using it in code first; drop it later in a release of its own with \"changeKind\": \"contract\"",
                            true);
                }
            } else if (tree instanceof Ddl.Truncate) {
                violation("truncate", "TRUNCATE deletes every row and takes an ACCESS EXCLUSIVE lock",
                        "delete in batches, in a release of its own with \"changeKind\": \"contract\"", true);
            } else if (tree instanceof Ddl.Vacuum vacuum && vacuum.full()) {
                violation("vacuum-full", "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock",
                        "plain VACUUM, or pg_repack outside a release", false);
            } else if (tree instanceof Ddl.Cluster) {
                violation("cluster", "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock",
                        "pg_repack outside a release", false);
            }
        }

        private void check(String table, Ddl.Action action) {
            boolean existing = !newTables.contains(simple(table));
            if (action instanceof Ddl.AddColumn add) {
                String type = add.type().toLowerCase(Locale.ROOT);
                if (type.equals("json") || type.startsWith("json[") || type.startsWith("json ")) {
                    preferJsonb();
                }
                if (existing && SERIAL_TYPES.contains(type)) {
                    violation("adding-field-with-volatile-default", "a " + type + " column fills every existing row from"
                                    + " a sequence, rewriting " + table + " under an ACCESS EXCLUSIVE lock",
                            "add a plain integer column, attach a sequence default, backfill in batches", false);
                }
                String volatileCall = volatileCall(add.defaultExpression());
                if (existing && volatileCall != null) {
                    violation("adding-field-with-volatile-default", "the volatile default " + volatileCall + "() rewrites "
                                    + table + " under an ACCESS EXCLUSIVE lock",
                            "add the column without a default (or with a constant), set the default, backfill in batches",
                            false);
                }
                if (existing && add.notNull() && add.defaultExpression() == null) {
                    violation("adding-required-field", "a NOT NULL column without a default fails on a table with rows,"
                                    + " and the live version does not write it",
                            "add it nullable (or with a constant default); enforce NOT NULL later in a contract release", false);
                }
            } else if (action instanceof Ddl.DropColumn drop) {
                violation("drop-column", "dropping " + table + "." + drop.column() + " breaks the live version if it"
                                + " still reads or writes it",
                        "stop using the column in code first; drop it later in a release of its own with \"changeKind\": \"contract\"",
                        true);
            } else if (action instanceof Ddl.RenameColumn rename) {
                violation("rename-column", "renaming " + table + "." + rename.from() + " to " + rename.to()
                                + " breaks the live version, which uses the old name",
                        "add the new column, write both, backfill, move reads, then drop the old one in a contract release",
                        true);
            } else if (action instanceof Ddl.RenameTable rename) {
                violation("rename-table", "renaming " + table + " to " + rename.to() + " breaks the live version,"
                                + " which uses the old name",
                        "create the new table (or a view under the new name), move code, drop the old one in a contract release",
                        true);
            } else if (action instanceof Ddl.AlterColumnType alter && existing) {
                String type = alter.type().toLowerCase(Locale.ROOT).trim();
                if (!SAFE_WIDENINGS.contains(type)) {
                    violation("changing-column-type", "changing " + table + "." + alter.column() + " to " + alter.type()
                                    + " is not a known safe widening: it may rewrite the table and break the live version",
                            "widen to text (or unbounded varchar/numeric), or add a new column of the new type, backfill,"
                                    + " move code, and drop the old one in a contract release", true);
                }
            } else if (action instanceof Ddl.SetNotNull set && existing) {
                boolean validated = validatedNotNullColumns.contains(simple(table) + "." + set.column());
                violation("setting-not-null", "SET NOT NULL on " + table + "." + set.column() + " is a contract change"
                                + (validated ? "" : ", and without a validated CHECK (" + set.column()
                                + " IS NOT NULL) it scans the table under an ACCESS EXCLUSIVE lock"),
                        "ADD CONSTRAINT c CHECK (" + set.column() + " IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c;"
                                + " then SET NOT NULL in a contract release", validated);
            } else if (action instanceof Ddl.AddConstraint constraint) {
                constraint(table, existing, constraint);
            } else if (action instanceof Ddl.ValidateConstraint validate) {
                String column = checkColumns.get(validate.name());
                if (column != null) {
                    validatedNotNullColumns.add(column);
                }
            }
        }

        private void constraint(String table, boolean existing, Ddl.AddConstraint constraint) {
            if (constraint.kind().equals("check") && constraint.name() != null && constraint.checkExpression() != null) {
                String column = notNullColumn(constraint.checkExpression());
                if (column != null) {
                    checkColumns.put(constraint.name(), simple(table) + "." + column);
                }
            }
            if (!existing) {
                return;
            }
            if ((constraint.kind().equals("foreign key") || constraint.kind().equals("check")) && !constraint.notValid()) {
                violation("adding-not-valid-constraint", "adding a " + constraint.kind().toUpperCase(Locale.ROOT)
                                + " constraint validates every row of " + table + " while blocking writes",
                        "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later migration", false);
            }
            if ((constraint.kind().equals("unique") || constraint.kind().equals("primary key")) && !constraint.usingIndex()) {
                violation("disallowed-unique-constraint", "adding a " + constraint.kind().toUpperCase(Locale.ROOT)
                                + " constraint builds its index while blocking writes to " + table,
                        "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... "
                                + constraint.kind().toUpperCase(Locale.ROOT) + " USING INDEX", false);
            }
        }

        private void preferJsonb() {
            violation("prefer-jsonb", "json keeps text as written and cannot be indexed or compared",
                    "use jsonb", false);
        }

        private void violation(String rule, String message, String alternative, boolean destructive) {
            found.add(new LintViolation(rule, version, statement.index(), statement.line(), abbreviate(statement.text()),
                    message, alternative, destructive));
        }
    }

    /** The first call of a volatile function in an expression: a name token followed by an opening parenthesis. */
    private static String volatileCall(String expression) {
        if (expression == null) {
            return null;
        }
        List<Token> tokens = tokens(expression);
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).kind() == Token.Kind.WORD && tokens.get(i + 1).isSymbol("(")
                    && VOLATILE_FUNCTIONS.contains(tokens.get(i).text())) {
                return tokens.get(i).text();
            }
        }
        return null;
    }

    /** The column of a {@code (column IS NOT NULL)} check, or null for any other expression. */
    private static String notNullColumn(String expression) {
        List<Token> tokens = tokens(expression).stream().filter(t -> !t.isSymbol("(") && !t.isSymbol(")")).toList();
        if (tokens.size() == 4 && tokens.get(0).isName() && tokens.get(1).is("is") && tokens.get(2).is("not")
                && tokens.get(3).is("null")) {
            return tokens.get(0).text();
        }
        return null;
    }

    private static List<Token> tokens(String expression) {
        List<SqlLexer.Statement> statements = SqlLexer.statements(expression);
        return statements.isEmpty() ? List.of() : statements.get(0).tokens();
    }

    private static boolean mentionsJson(List<Token> tokens) {
        return tokens.stream().anyMatch(t -> t.is("json"));
    }

    private static String simple(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String abbreviate(String sql) {
        String flat = sql.replaceAll("\\s+", " ").trim();
        return flat.length() > 300 ? flat.substring(0, 297) + "..." : flat;
    }
}
