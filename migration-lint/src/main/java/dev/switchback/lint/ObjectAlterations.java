package dev.switchback.lint;

import java.util.Locale;

/**
 * ALTER of views, sequences, types, domains, routines, schemas, triggers, policies and the rest: renames and SET
 * SCHEMA break the old name, owners are role changes, enum values may be added (PostgreSQL 12+ allows ADD VALUE in a
 * transaction; the new value cannot be used until it commits), and changing an existing routine, policy or sequence
 * changes what the live version runs. All of it is free on an object the same release created.
 */
final class ObjectAlterations {

    private ObjectAlterations() {
    }

    static Classification alter(String type, Cursor c, RunState state) {
        c.ifExists();
        String name = c.name();
        String key = name;
        String table = null;
        if (ObjectTypes.ON_TABLE.contains(type)) {
            c.expect("on");
            table = c.name();
            key = table + "." + name;
        } else {
            c.skipParenthesised();
        }
        boolean isNew = state.isNew(key);
        boolean relation = ObjectTypes.RELATIONS.contains(type);
        String label = ObjectTypes.label(type) + " " + name;
        if (c.accept("rename")) {
            return rename(type, c, state, relation ? name : table, isNew, label);
        }
        Classification result;
        if (c.accept("set", "schema")) {
            result = new Classification("AlterObjectSchemaStmt");
            if (relation) {
                result.relation(name);
            }
            return isNew ? result : result.refuse(Rule.RENAME_OBJECT, "moving " + label + " to schema " + c.name()
                    + " renames it for the live version, which uses the old name");
        }
        if (c.at("owner", "to")) {
            result = new Classification(relation ? "AlterTableStmt" : "AlterOwnerStmt");
            if (relation) {
                result.relation(name);
            }
            return result.refuse(Rule.ROLE_CHANGE, "changing the owner of " + label + " changes which roles may use"
                    + " and alter it");
        }
        return switch (type) {
            case "TYPE" -> type(name, isNew, c);
            case "DOMAIN" -> DomainAlterations.alter(name, isNew, c);
            case "SEQUENCE" -> {
                result = new Classification("AlterSeqStmt").relation(name);
                yield isNew || c.at("owned", "by") ? result : result.refuse(Rule.REPLACE_OBJECT, "ALTER SEQUENCE "
                        + name + " " + Cursor.text(c.rest()) + " changes the values the live version draws");
            }
            case "VIEW", "MATVIEW" -> view(type, name, isNew, c);
            case "FUNCTION", "PROCEDURE", "ROUTINE", "AGGREGATE" -> isNew ? new Classification("AlterFunctionStmt")
                    : new Classification("AlterFunctionStmt").refuse(Rule.REPLACE_OBJECT, "ALTER " + label.toUpperCase(
                    Locale.ROOT) + " changes how the live version's calls run");
            case "POLICY" -> {
                result = new Classification("AlterPolicyStmt").relation(table);
                yield isNew ? result : result.refuse(Rule.REPLACE_OBJECT, "ALTER POLICY " + name + " changes which"
                        + " rows of " + table + " the live version sees");
            }
            case "STATISTIC_EXT" -> new Classification("AlterStatsStmt");
            default -> StatementClassifier.unknown(c, "ALTER " + ObjectTypes.label(type) + " ... " + c.word());
        };
    }

    private static Classification rename(String type, Cursor c, RunState state, String relation, boolean isNew,
                                         String label) {
        Classification result;
        Rule rule = Rule.RENAME_OBJECT;
        String what;
        if (c.accept("to")) {
            String to = c.name();
            if (isNew) {
                state.created(to);
            }
            result = new Classification("RenameStmt:OBJECT_" + type);
            what = "renaming " + label + " to " + to;
        } else if (c.accept("value")) {
            result = new Classification("AlterEnumStmt");
            what = "renaming the enum value " + c.next().text() + " of " + label;
        } else {
            String part = c.accept("attribute") ? "ATTRIBUTE" : c.accept("constraint") ? "DOMCONSTRAINT" : "COLUMN";
            c.accept("column");
            String from = c.name();
            result = new Classification("RenameStmt:OBJECT_" + part);
            rule = part.equals("COLUMN") ? Rule.RENAME_COLUMN : Rule.RENAME_OBJECT;
            what = "renaming " + from + " of " + label;
        }
        if (relation != null) {
            result.relation(relation);
        }
        return isNew ? result : result.refuse(rule, what + " breaks the live version, which uses the old name");
    }

    private static Classification type(String name, boolean isNew, Cursor c) {
        if (c.accept("add", "value")) {
            return new Classification("AlterEnumStmt");
        }
        Classification result = new Classification("AlterTableStmt").relation(name);
        if (isNew) {
            return result;
        }
        if (c.at("add", "attribute")) {
            return result;
        }
        if (c.at("drop", "attribute")) {
            return result.refuse(Rule.DROP_TYPE, "dropping an attribute of type " + name + " breaks the live version's"
                    + " use of it");
        }
        if (c.at("alter", "attribute")) {
            return result.refuse(Rule.CHANGING_COLUMN_TYPE, "changing an attribute's type rewrites every table with a"
                    + " column of type " + name);
        }
        return new Classification("AlterTypeStmt").refuse(Rule.REPLACE_OBJECT, "ALTER TYPE " + name + " "
                + Cursor.text(c.rest()) + " changes a type the live version uses");
    }

    private static Classification view(String type, String name, boolean isNew, Cursor c) {
        Classification result = new Classification("AlterTableStmt").relation(name);
        if (isNew || c.at("alter") && c.restHasSequence("set", "default") || c.at("cluster") || c.at("set", "without")) {
            return result;
        }
        if (c.at("alter") && c.restHasSequence("drop", "default")) {
            return result.refuse(Rule.DROP_DEFAULT, "dropping a default of view " + name + " changes what the live"
                    + " version's inserts through it store");
        }
        if (c.at("set", "tablespace")) {
            return result.refuse(Rule.TABLE_REWRITE, "SET TABLESPACE moves " + name + " under ACCESS EXCLUSIVE");
        }
        return result.refuse(Rule.REPLACE_OBJECT, "ALTER " + ObjectTypes.label(type).toUpperCase(Locale.ROOT) + " "
                + name + " " + Cursor.text(c.rest()) + " changes how the live version's queries on it behave");
    }
}
