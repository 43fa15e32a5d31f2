package dev.switchback.lint;

import java.util.List;

/**
 * Classifies one statement by its effect on a live database, default deny: each statement goes to the classifier of
 * its family by its leading words, and a statement no family knows is refused as {@link Rule#UNKNOWN_STATEMENT}.
 * Functions that act outside the schema are refused wherever they are called.
 */
final class StatementClassifier {

    private StatementClassifier() {
    }

    static Classification classify(List<Token> tokens, RunState state) {
        Cursor c = new Cursor(tokens);
        Classification result = dispatch(c, state);
        Functions.refuseOutside(tokens, result);
        return result;
    }

    private static Classification dispatch(Cursor c, RunState state) {
        String first = c.word();
        return switch (first) {
            case "create" -> create(c, state);
            case "alter" -> alter(c, state);
            case "drop" -> c.at("drop", "index") ? IndexClassifier.drop(c, state) : DropClassifier.drop(c, state);
            case "comment" -> new Classification("CommentStmt");
            case "grant", "revoke" -> GrantClassifier.grant(c, state);
            case "reindex" -> IndexClassifier.reindex(c, state);
            case "vacuum", "analyze", "analyse", "cluster", "refresh", "lock", "checkpoint" ->
                    MaintenanceClassifier.classify(c, state);
            case "insert", "update", "delete", "merge", "copy", "select", "values", "table", "with", "truncate",
                 "explain" -> DataClassifier.classify(c, state);
            case "set", "reset", "show", "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release",
                 "prepare", "listen", "unlisten", "notify", "deallocate", "discard", "declare", "fetch", "move",
                 "close", "do", "call", "execute", "load", "import", "security", "reassign" ->
                    SessionClassifier.classify(c, state);
            default -> unknown(c, first.isEmpty() && c.peek() != null ? c.peek().text() : first);
        };
    }

    private static Classification create(Cursor c, RunState state) {
        c.expect("create");
        boolean replace = c.accept("or", "replace");
        int start = c.pos();
        while (c.accept("global") || c.accept("local") || c.accept("temporary") || c.accept("temp")
                || c.accept("unlogged") || c.accept("recursive") || c.accept("trusted") || c.accept("procedural")) {
            // Modifiers of CREATE TABLE, VIEW, LANGUAGE.
        }
        boolean modified = c.pos() > start;
        if (c.at("table") || c.at("foreign", "table")) {
            return TableClassifier.create(c, state);
        }
        if (c.at("index") || c.at("unique", "index")) {
            return IndexClassifier.create(c, state);
        }
        return ObjectClassifier.create(c, state, replace, modified);
    }

    private static Classification alter(Cursor c, RunState state) {
        c.expect("alter");
        if (c.at("table") || c.at("foreign", "table")) {
            return TableClassifier.alter(c, state);
        }
        if (c.at("index")) {
            return IndexClassifier.alter(c, state);
        }
        if (c.at("system")) {
            return new Classification("AlterSystemStmt").refuse(Rule.SERVER_CONFIG,
                    "ALTER SYSTEM changes the configuration of the whole server");
        }
        return ObjectClassifier.alter(c, state);
    }

    /** Default deny: what no family knows is refused. */
    static Classification unknown(Cursor c, String head) {
        return new Classification("unknown").refuse(Rule.UNKNOWN_STATEMENT, "the lint does not know "
                + head.toUpperCase(java.util.Locale.ROOT) + " statements to be safe: only forms known to be safe pass");
    }
}
