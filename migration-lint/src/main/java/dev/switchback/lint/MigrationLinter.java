package dev.switchback.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Refuses unsafe SQL before anything touches a database, default deny: every statement is classified by its effect
 * on a live database ({@link StatementClassifier}), and only forms known to be safe in an expand release pass.
 * Destructive (contract) changes are refused in the expand release and allowed in a contract release; hazards (long
 * locks, rewrites, data changes outside a backfill, dynamic SQL, what cannot be read) are refused in both.
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

    private MigrationLinter() {
    }

    public static LintReport lint(List<Script> scripts, ChangeKind changeKind) {
        return lint(scripts, changeKind, Set.of());
    }

    /**
     * Lints with the rules a release explicitly overrides: their violations are reported as overridden instead of
     * refusing the release. A rule that cannot be overridden ({@link Rule#overridable()}) keeps refusing, and its
     * violation says the override had no effect. What overrides a rule, and who approved it, is the caller's to record.
     */
    public static LintReport lint(List<Script> scripts, ChangeKind changeKind, Set<String> overriddenRules) {
        Run run = new Run();
        for (Script script : scripts) {
            run.script(script);
        }
        List<LintViolation> refusing = new ArrayList<>();
        List<LintViolation> overridden = new ArrayList<>();
        for (LintViolation v : run.found) {
            if (changeKind == ChangeKind.CONTRACT && v.destructive()) {
                continue;
            }
            boolean overridable = Rule.byId(v.rule()).map(Rule::overridable).orElse(false);
            if (overriddenRules.contains(v.rule()) && overridable) {
                overridden.add(v);
            } else if (overriddenRules.contains(v.rule())) {
                refusing.add(new LintViolation(v.rule(), v.migration(), v.index(), v.line(), v.statement(), v.message()
                        + " (the release's override of " + v.rule() + " has no effect: it cannot be overridden)",
                        v.safeAlternative(), v.destructive()));
            } else {
                refusing.add(v);
            }
        }
        List<LintViolation> contract = run.found.stream().filter(LintViolation::destructive).toList();
        return new LintReport(changeKind.value(), refusing.isEmpty() ? LintReport.ALLOWED : LintReport.REFUSED,
                contract.isEmpty() ? ChangeKind.EXPAND.value() : ChangeKind.CONTRACT.value(), run.statements,
                List.copyOf(refusing), contract, List.copyOf(overridden));
    }

    /** The name of the index a {@code CREATE INDEX CONCURRENTLY} statement builds, or null for any other statement. */
    public static String concurrentIndexName(SqlLexer.Statement statement) {
        return IndexClassifier.concurrentIndexName(statement);
    }

    /** One lint run over the migrations of a release, in order. */
    private static final class Run {
        private final RunState state = new RunState();
        private final List<LintViolation> found = new ArrayList<>();
        private int statements;
        private String version;
        private SqlLexer.Statement statement;

        void script(Script script) {
            version = script.version();
            List<SqlLexer.Statement> parsed;
            try {
                parsed = SqlLexer.statements(script.sql());
            } catch (SqlSyntaxException e) {
                statement = new SqlLexer.Statement(0, e.line(), script.sql(), List.of());
                violation(new Finding(Rule.SYNTAX, "cannot read the migration: " + e.getMessage()));
                return;
            }
            statements += parsed.size();
            if (script.backfill()) {
                backfill(script, parsed);
                return;
            }
            for (SqlLexer.Statement s : parsed) {
                statement = s;
                try {
                    Classification classified = StatementClassifier.classify(s.tokens(), state);
                    classified.findings().forEach(this::violation);
                    if (classified.alone() && parsed.size() > 1) {
                        violation(new Finding(Rule.CONCURRENTLY_IN_TRANSACTION, "this statement cannot run inside a"
                                + " transaction block, and a migration with other statements runs in one"));
                    }
                } catch (SqlSyntaxException e) {
                    violation(new Finding(Rule.SYNTAX, "cannot read the statement: " + e.getMessage()));
                }
            }
        }

        /** A backfill: exactly one statement the migrator can run in batches; a DELETE is a contract change. */
        private void backfill(Script script, List<SqlLexer.Statement> parsed) {
            statement = parsed.isEmpty() ? new SqlLexer.Statement(0, 1, script.sql(), List.of()) : parsed.get(0);
            BackfillStatement backfill;
            try {
                backfill = BackfillStatement.parse(script.sql());
            } catch (SqlSyntaxException e) {
                if (e.line() > 0) {
                    parsed.stream().filter(s -> s.line() <= e.line()).reduce((a, b) -> b).ifPresent(s -> statement = s);
                }
                violation(new Finding(Rule.BACKFILL_FORM, "the migrator cannot run this backfill in batches: "
                        + e.getMessage()));
                return;
            }
            Classification classified = new Classification(backfill.delete() ? "DeleteStmt" : "UpdateStmt");
            Functions.refuseOutside(statement.tokens(), classified);
            String unknown = Functions.firstUnknown(statement.tokens());
            if (unknown != null) {
                classified.refuse(Rule.FUNCTION_CALL, "the backfill calls " + unknown + "() on every row, a function"
                        + " the lint cannot see into: it may run any DDL");
            }
            if (backfill.delete()) {
                classified.refuse(Rule.BACKFILL_DELETE, "deleting rows of " + backfill.table() + " takes away data the"
                        + " live version may still read");
            }
            classified.findings().forEach(this::violation);
        }

        private void violation(Finding finding) {
            found.add(new LintViolation(finding.rule().id(), version, statement.index(), statement.line(),
                    abbreviate(statement.text()), finding.message(), finding.alternative(), finding.destructive()));
        }
    }

    private static String abbreviate(String sql) {
        String flat = sql.replaceAll("\\s+", " ").trim();
        return flat.length() > 300 ? flat.substring(0, 297) + "..." : flat;
    }
}
