package dev.switchback.lint;

import java.util.Locale;

/**
 * CREATE and ALTER of every object but tables and indexes. A new object under a new name breaks nothing: the live
 * version does not know it. Replacing or altering an object the release did not create changes what the live
 * version runs under it (a contract change); renames and SET SCHEMA break the old name; owners, roles, extensions,
 * languages, servers, databases and event triggers reach outside the schema and are refused on their own rules.
 */
final class ObjectClassifier {

    private ObjectClassifier() {
    }

    static Classification create(Cursor c, RunState state, boolean replace, boolean modified) {
        String type = ObjectTypes.read(c);
        if (type == null) {
            return StatementClassifier.unknown(c, "CREATE " + c.word());
        }
        return switch (type) {
            case "VIEW" -> replaceable("ViewStmt", type, c, state, replace, true);
            case "MATVIEW" -> {
                boolean mayExist = c.ifNotExists();
                String view = c.name();
                if (!mayExist) {
                    state.created(view);
                }
                Classification result = new Classification("CreateTableAsStmt").relation(view);
                String unknown = c.restHasSequence("with", "no", "data") ? null : Functions.firstUnknown(c.rest());
                yield unknown == null ? result : result.refuse(Rule.FUNCTION_CALL, "CREATE MATERIALIZED VIEW runs its"
                        + " query, which calls " + unknown + "(), a function the lint cannot see into");
            }
            case "SEQUENCE" -> {
                boolean mayExist = c.ifNotExists();
                String sequence = c.name();
                if (!mayExist) {
                    state.created(sequence);
                }
                yield new Classification("CreateSeqStmt").relation(sequence);
            }
            case "TYPE" -> {
                String name = c.name();
                state.created(name);
                if (c.accept("as", "enum")) {
                    yield new Classification("CreateEnumStmt");
                }
                if (c.accept("as", "range")) {
                    yield new Classification("CreateRangeStmt");
                }
                yield c.accept("as") ? new Classification("CompositeTypeStmt").relation(name)
                        : new Classification("DefineStmt");
            }
            case "DOMAIN" -> {
                state.created(c.name());
                yield new Classification("CreateDomainStmt");
            }
            case "FUNCTION", "PROCEDURE" -> replaceable("CreateFunctionStmt", type, c, state, replace, false);
            case "AGGREGATE" -> replaceable("DefineStmt", type, c, state, replace, false);
            case "SCHEMA" -> {
                boolean mayExist = c.ifNotExists();
                String schema = c.at("authorization") ? null : c.name();
                if (schema != null && !mayExist) {
                    state.created(schema);
                }
                yield c.restHas("create") || c.restHas("grant") ? new Classification("CreateSchemaStmt").refuse(
                        Rule.UNKNOWN_STATEMENT, "write the statements CREATE SCHEMA embeds as statements of their own,"
                                + " so the lint can judge each") : new Classification("CreateSchemaStmt");
            }
            case "TRIGGER" -> {
                String trigger = c.name();
                Classification result = new Classification("CreateTrigStmt");
                String table = onTable(c);
                result.relation(table);
                boolean known = state.isNew(table + "." + trigger);
                if (!replace) {
                    state.created(table + "." + trigger);
                }
                yield replace && !known ? result.refuse(Rule.REPLACE_OBJECT, "CREATE OR REPLACE TRIGGER " + trigger
                        + " changes what the live version's writes to " + table + " do") : result;
            }
            case "POLICY" -> {
                c.name();
                String table = onTable(c);
                Classification result = new Classification("CreatePolicyStmt").relation(table);
                yield c.restHas("restrictive") && !state.isNew(table) ? result.refuse(Rule.PRIVILEGES, "a restrictive"
                        + " policy on " + table + " hides rows from the live version") : result;
            }
            case "RULE" -> {
                c.name();
                while (!c.atEnd() && !c.at("to")) {
                    c.next();
                }
                c.expect("to");
                String table = c.name();
                Classification result = new Classification("RuleStmt").relation(table);
                yield state.isNew(table) && !replace ? result : result.refuse(Rule.DYNAMIC_SQL, "a rule rewrites the live"
                        + " version's statements on " + table + " into others the lint cannot judge");
            }
            case "STATISTIC_EXT" -> {
                Classification result = new Classification("CreateStatsStmt");
                while (!c.atEnd() && !c.at("from")) {
                    c.next();
                }
                c.expect("from");
                yield result.relation(c.name());
            }
            case "COLLATION" -> new Classification("DefineStmt");
            case "EXTENSION" -> new Classification("CreateExtensionStmt").refuse(Rule.EXTENSION, "CREATE EXTENSION"
                    + " runs the extension's install script, which the lint cannot see");
            case "ROLE" -> new Classification("CreateRoleStmt").refuse(Rule.ROLE_CHANGE, "CREATE ROLE/USER/GROUP"
                    + " changes who may connect and what they may do");
            case "DATABASE" -> new Classification("CreatedbStmt").refuse(Rule.SERVER_CONFIG, "CREATE DATABASE acts"
                    + " on the server, outside the release's database");
            case "TABLESPACE" -> new Classification("CreateTableSpaceStmt").refuse(Rule.SERVER_ACCESS,
                    "CREATE TABLESPACE writes to a directory of the server");
            case "FOREIGN_SERVER", "FDW", "USER_MAPPING", "SUBSCRIPTION" -> new Classification(switch (type) {
                case "FOREIGN_SERVER" -> "CreateForeignServerStmt";
                case "FDW" -> "CreateFdwStmt";
                case "USER_MAPPING" -> "CreateUserMappingStmt";
                default -> "CreateSubscriptionStmt";
            }).refuse(Rule.SERVER_ACCESS, "CREATE " + ObjectTypes.label(type).toUpperCase(Locale.ROOT)
                    + " connects to another server");
            case "PUBLICATION" -> new Classification("CreatePublicationStmt").refuse(Rule.SERVER_CONFIG,
                    "a publication streams the tables' changes out of the database");
            case "LANGUAGE" -> new Classification("CreatePLangStmt").refuse(Rule.SERVER_ACCESS, "CREATE LANGUAGE"
                    + " loads a handler from the server's disk");
            case "EVENT_TRIGGER" -> new Classification("CreateEventTrigStmt").refuse(Rule.DYNAMIC_SQL,
                    "an event trigger runs its function on every later DDL statement, the migrator's included");
            default -> StatementClassifier.unknown(c, "CREATE " + ObjectTypes.label(type)
                    + (modified ? " (with modifiers)" : ""));
        };
    }

    /** CREATE [OR REPLACE] VIEW / FUNCTION / PROCEDURE / AGGREGATE: replacing one the release did not create is a contract change. */
    private static Classification replaceable(String kind, String type, Cursor c, RunState state, boolean replace,
                                              boolean relation) {
        String name = c.name();
        Classification result = new Classification(kind);
        if (relation) {
            result.relation(name);
        }
        boolean known = state.isNew(name);
        if (!replace) {
            state.created(name);
        }
        return replace && !known ? result.refuse(Rule.REPLACE_OBJECT, "CREATE OR REPLACE " + ObjectTypes.label(type)
                .toUpperCase(Locale.ROOT) + " " + name + " changes what the live version runs under that name") : result;
    }

    /** Reads {@code ... ON table}, skipping what comes between (trigger timing and events, policy names). */
    static String onTable(Cursor c) {
        while (!c.atEnd() && !c.at("on")) {
            c.next();
        }
        c.expect("on");
        return c.name();
    }

    static Classification alter(Cursor c, RunState state) {
        String type = ObjectTypes.read(c);
        if (type == null) {
            return StatementClassifier.unknown(c, "ALTER " + c.word());
        }
        switch (type) {
            case "ROLE" -> {
                return new Classification(c.restHas("rename") ? "RenameStmt:OBJECT_ROLE" : c.restHas("set")
                        || c.restHas("reset") ? "AlterRoleSetStmt" : "AlterRoleStmt").refuse(Rule.ROLE_CHANGE,
                        "ALTER ROLE changes what a role may do");
            }
            case "DATABASE" -> {
                return new Classification(c.restHas("rename") ? "RenameStmt:OBJECT_DATABASE" : c.restHas("set")
                        || c.restHas("reset") ? "AlterDatabaseSetStmt" : "AlterDatabaseStmt").refuse(Rule.SERVER_CONFIG,
                        "ALTER DATABASE changes the settings of every session of the database");
            }
            case "DEFAULT_PRIVILEGES" -> {
                return new Classification("AlterDefaultPrivilegesStmt").refuse(Rule.PRIVILEGES,
                        "ALTER DEFAULT PRIVILEGES changes who may use every object created later");
            }
            case "EXTENSION" -> {
                return new Classification(c.restHas("update") ? "AlterExtensionStmt" : "AlterExtensionContentsStmt")
                        .refuse(Rule.EXTENSION, "ALTER EXTENSION runs the extension's scripts, which the lint cannot see");
            }
            case "FOREIGN_SERVER", "FDW", "USER_MAPPING", "SUBSCRIPTION", "PUBLICATION", "TABLESPACE", "LARGEOBJECT" -> {
                return new Classification("unknown").refuse(Rule.SERVER_ACCESS,
                        "ALTER " + ObjectTypes.label(type).toUpperCase(Locale.ROOT) + " acts outside the schema");
            }
            default -> {
                return ObjectAlterations.alter(type, c, state);
            }
        }
    }
}
