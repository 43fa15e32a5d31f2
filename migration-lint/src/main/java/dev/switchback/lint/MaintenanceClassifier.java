package dev.switchback.lint;

import java.util.List;

/** VACUUM, ANALYZE, CLUSTER, REFRESH MATERIALIZED VIEW, LOCK, CHECKPOINT: maintenance, blocking or not. */
final class MaintenanceClassifier {

    private MaintenanceClassifier() {
    }

    static Classification classify(Cursor c, RunState state) {
        String first = c.next().text();
        return switch (first) {
            case "vacuum", "analyze", "analyse" -> vacuum(first, c);
            case "cluster" -> {
                c.accept("verbose");
                Classification result = new Classification("ClusterStmt");
                String table = c.atEnd() || c.peek().isSymbol("(") ? null : c.name();
                if (table != null) {
                    result.relation(table);
                }
                yield table != null && state.isNew(table) ? result : result.refuse(Rule.CLUSTER,
                        "CLUSTER rewrites " + (table == null ? "every clustered table" : table) + " under ACCESS EXCLUSIVE");
            }
            case "refresh" -> {
                c.expect("materialized", "view");
                boolean concurrently = c.accept("concurrently");
                String view = c.name();
                Classification result = new Classification("RefreshMatViewStmt").relation(view);
                yield concurrently || state.isNew(view) ? result : result.refuse(Rule.REFRESH_MATERIALIZED_VIEW,
                        "REFRESH MATERIALIZED VIEW " + view + " without CONCURRENTLY locks its readers out while the"
                                + " query runs");
            }
            case "lock" -> {
                c.accept("table");
                c.accept("only");
                List<String> tables = c.names();
                Classification result = new Classification("LockStmt");
                tables.forEach(result::relation);
                yield tables.stream().allMatch(state::isNew) ? result : result.refuse(Rule.LOCK_TABLE,
                        "LOCK TABLE holds " + (c.restHas("mode") ? Cursor.text(c.rest()) : "ACCESS EXCLUSIVE")
                                + " on " + String.join(", ", tables) + " until the migration commits");
            }
            default -> new Classification("CheckPointStmt").refuse(Rule.SERVER_CONFIG,
                    "CHECKPOINT forces a server-wide flush of every dirty buffer");
        };
    }

    /** VACUUM cannot run in a transaction block; FULL rewrites. ANALYZE only samples (SHARE UPDATE EXCLUSIVE). */
    private static Classification vacuum(String command, Cursor c) {
        Classification result = new Classification("VacuumStmt");
        boolean full = false;
        while (!c.atEnd() && (c.peek().isSymbol("(") || c.peek().kind() == Token.Kind.WORD
                && List.of("full", "freeze", "verbose", "analyze", "analyse").contains(c.word()))) {
            if (c.peek().isSymbol("(")) {
                List<Token> options = c.parenthesised();
                full |= options.stream().anyMatch(t -> t.is("full"))
                        && !options.stream().anyMatch(t -> t.is("false") || t.is("off"));
            } else {
                full |= c.next().is("full");
            }
        }
        while (!c.atEnd()) {
            result.relation(c.name());
            c.skipParenthesised();
            c.acceptSymbol(",");
        }
        if (command.equals("vacuum")) {
            result.mustRunAlone();
        }
        return full ? result.refuse(Rule.VACUUM_FULL, "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE") : result;
    }
}
