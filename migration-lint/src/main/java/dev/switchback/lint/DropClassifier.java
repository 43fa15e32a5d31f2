package dev.switchback.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * DROP of every kind of object but indexes: a contract change (the live version may still use it), allowed only in
 * a contract release, unless the same release created it. CASCADE also drops everything that depends on the object,
 * so it is a contract change even then. Roles, tablespaces, subscriptions and user mappings are outside the schema.
 */
final class DropClassifier {

    /** Types whose DROP names no object the lint can follow (casts, operators...): always judged as existing. */
    private static final Set<String> UNNAMED = Set.of("CAST", "TRANSFORM", "OPERATOR", "OPCLASS", "OPFAMILY",
            "ACCESS_METHOD", "LANGUAGE");

    private DropClassifier() {
    }

    static Classification drop(Cursor c, RunState state) {
        c.expect("drop");
        String type = ObjectTypes.read(c);
        if (type == null) {
            return StatementClassifier.unknown(c, "DROP " + c.word());
        }
        switch (type) {
            case "DATABASE" -> {
                return new Classification("DropdbStmt").refuse(Rule.DROP_DATABASE, "DROP DATABASE destroys every table"
                        + " of the database" + (c.restHas("force") ? " and terminates its sessions" : ""));
            }
            case "ROLE", "OWNED" -> {
                return new Classification(type.equals("ROLE") ? "DropRoleStmt" : "DropOwnedStmt")
                        .refuse(Rule.ROLE_CHANGE, "DROP " + ObjectTypes.label(type).toUpperCase(java.util.Locale.ROOT)
                                + " removes a role or everything it owns");
            }
            case "TABLESPACE", "SUBSCRIPTION", "USER_MAPPING" -> {
                return new Classification(switch (type) {
                    case "TABLESPACE" -> "DropTableSpaceStmt";
                    case "SUBSCRIPTION" -> "DropSubscriptionStmt";
                    default -> "DropUserMappingStmt";
                }).refuse(Rule.SERVER_ACCESS, "DROP " + ObjectTypes.label(type).toUpperCase(java.util.Locale.ROOT)
                        + " acts outside the schema");
            }
            default -> {
                return object(type, c, state);
            }
        }
    }

    private static Classification object(String type, Cursor c, RunState state) {
        Classification result = new Classification("DropStmt:OBJECT_" + type);
        c.ifExists();
        List<String> keys = new ArrayList<>();
        if (ObjectTypes.ON_TABLE.contains(type)) {
            String name = c.name();
            c.expect("on");
            String table = c.name();
            result.relation(table);
            keys.add(table + "." + name);
        } else if (!UNNAMED.contains(type)) {
            keys.addAll(c.names());
            if (ObjectTypes.RELATIONS.contains(type)) {
                keys.forEach(result::relation);
            }
        }
        boolean cascade = c.restHas("cascade");
        if (!keys.isEmpty() && keys.stream().allMatch(state::isNew) && !cascade) {
            return result;
        }
        Rule rule = switch (type) {
            case "TABLE", "FOREIGN_TABLE" -> Rule.DROP_TABLE;
            case "VIEW", "MATVIEW" -> Rule.DROP_VIEW;
            case "SEQUENCE" -> Rule.DROP_SEQUENCE;
            case "TYPE", "DOMAIN" -> Rule.DROP_TYPE;
            case "FUNCTION", "PROCEDURE", "ROUTINE", "AGGREGATE" -> Rule.DROP_FUNCTION;
            case "TRIGGER" -> Rule.DROP_TRIGGER;
            case "SCHEMA" -> Rule.DROP_SCHEMA;
            default -> Rule.DROP_OBJECT;
        };
        String what = ObjectTypes.label(type) + (keys.isEmpty() ? "" : " " + String.join(", ", keys));
        return result.refuse(rule, "dropping " + what + " breaks the live version if it still uses it"
                + (cascade ? "; CASCADE also drops every object that depends on it" : ""));
    }
}
