package dev.switchback.lint;

import java.util.Locale;
import java.util.Set;

/**
 * Session settings and state, transaction control, and dynamic SQL. The migrator runs each migration in one
 * transaction under its own lock and statement timeouts: a migration that changes them, its identity, or the
 * transaction switches those protections off. DO, CALL and EXECUTE run code the lint cannot see.
 */
final class SessionClassifier {

    /** Settings the migrator's protections rest on (or its identity and trigger firing). */
    private static final Set<String> PROTECTIVE = Set.of("lock_timeout", "statement_timeout",
            "idle_in_transaction_session_timeout", "idle_session_timeout", "transaction_timeout",
            "session_replication_role", "role", "session_authorization", "default_transaction_read_only",
            "transaction_read_only");
    /** Settings that only tune the migration's own work. */
    private static final Set<String> HARMLESS = Set.of("work_mem", "maintenance_work_mem", "client_min_messages",
            "max_parallel_maintenance_workers");

    private SessionClassifier() {
    }

    static Classification classify(Cursor c, RunState state) {
        String first = c.next().text();
        return switch (first) {
            case "set" -> set(c);
            case "reset" -> reset(c);
            case "show" -> new Classification("VariableShowStmt");
            case "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release" -> transaction(first);
            case "prepare" -> c.at("transaction") ? transaction("prepare transaction")
                    : new Classification("PrepareStmt").refuse(Rule.SESSION_STATE, "PREPARE keeps a statement in the"
                    + " migrator's session");
            case "listen" -> state("ListenStmt", "LISTEN subscribes the migrator's session to notifications");
            case "unlisten" -> state("UnlistenStmt", "UNLISTEN changes the migrator's session");
            case "notify" -> state("NotifyStmt", "NOTIFY signals every listening session, the live version's included");
            case "deallocate" -> state("DeallocateStmt", "DEALLOCATE changes the migrator's session");
            case "discard" -> state("DiscardStmt", "DISCARD resets the migrator's session, its settings included");
            case "declare" -> state("DeclareCursorStmt", "a cursor keeps a query open in the migrator's session");
            case "fetch", "move" -> state("FetchStmt", "a cursor keeps a query open in the migrator's session");
            case "close" -> state("ClosePortalStmt", "a cursor keeps a query open in the migrator's session");
            case "do" -> new Classification("DoStmt").refuse(Rule.DYNAMIC_SQL, "a DO block runs procedural code, and"
                    + " any SQL it builds with EXECUTE, which the lint cannot see");
            case "call" -> new Classification("CallStmt").refuse(Rule.DYNAMIC_SQL, "CALL " + c.word()
                    + " runs a procedure, which may run any DDL");
            case "execute" -> new Classification("ExecuteStmt").refuse(Rule.DYNAMIC_SQL, "EXECUTE runs a prepared"
                    + " statement the lint cannot see");
            case "load" -> new Classification("LoadStmt").refuse(Rule.SERVER_ACCESS, "LOAD loads a shared library from"
                    + " the server's disk into the session");
            case "import" -> new Classification("ImportForeignSchemaStmt").refuse(Rule.SERVER_ACCESS,
                    "IMPORT FOREIGN SCHEMA reads another server's catalog");
            case "reassign" -> new Classification("ReassignOwnedStmt").refuse(Rule.ROLE_CHANGE,
                    "REASSIGN OWNED gives every object of a role to another");
            default -> StatementClassifier.unknown(c, first);
        };
    }

    private static Classification set(Cursor c) {
        if (c.at("constraints")) {
            return transaction("set constraints").kindOf("ConstraintsSetStmt");
        }
        if (c.at("transaction") || c.at("session", "characteristics")) {
            return transaction("set transaction").kindOf("VariableSetStmt");
        }
        boolean local = c.accept("local");
        c.accept("session");
        String name;
        if (c.accept("time", "zone")) {
            name = "timezone";
        } else if (c.accept("authorization")) {
            name = "session_authorization";
        } else if (c.accept("schema")) {
            name = "search_path";
        } else if (c.accept("names")) {
            name = "client_encoding";
        } else {
            name = c.name();
        }
        return setting(name, (local ? "SET LOCAL " : "SET ") + name);
    }

    private static Classification reset(Cursor c) {
        if (c.accept("all")) {
            return new Classification("VariableSetStmt").refuse(Rule.DISABLES_PROTECTION, "RESET ALL resets the"
                    + " migrator's lock and statement timeouts");
        }
        c.accept("session", "authorization");
        return setting(c.atEnd() ? "session_authorization" : c.name(), "RESET");
    }

    private static Classification setting(String name, String what) {
        Classification result = new Classification("VariableSetStmt");
        String setting = name.toLowerCase(Locale.ROOT);
        if (PROTECTIVE.contains(setting)) {
            return result.refuse(Rule.DISABLES_PROTECTION, what + " changes " + setting + ", which the migrator's"
                    + " protections (lock and statement timeouts, its identity, trigger firing) rest on");
        }
        if (!HARMLESS.contains(setting)) {
            result.refuse(Rule.SESSION_SETTING, what + " changes " + setting + " for the rest of the migrator's session,"
                    + " and the lint does not know it to be harmless");
        }
        return result;
    }

    private static Classification transaction(String command) {
        return new Classification("TransactionStmt").refuse(Rule.TRANSACTION_CONTROL, command.toUpperCase(Locale.ROOT)
                + " takes the transaction out of the migrator's hands: a migration that fails halfway stays half-applied");
    }

    private static Classification state(String kind, String message) {
        return new Classification(kind).refuse(Rule.SESSION_STATE, message);
    }
}
