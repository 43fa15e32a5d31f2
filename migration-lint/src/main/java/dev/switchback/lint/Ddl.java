package dev.switchback.lint;

import java.util.List;

/** What a statement does, as far as the lint cares: the parse tree of the DDL forms whose safety differs. */
public sealed interface Ddl {

    /** CREATE TABLE: a table with no rows yet, so what follows on it locks nobody. */
    record CreateTable(String table) implements Ddl {
    }

    /** ALTER TABLE with its actions. */
    record AlterTable(String table, List<Action> actions) implements Ddl {
    }

    /** CREATE INDEX. */
    record CreateIndex(String name, String table, boolean concurrently, boolean unique) implements Ddl {
    }

    /** DROP INDEX. */
    record DropIndex(List<String> names, boolean concurrently) implements Ddl {
    }

    /** DROP of a table, schema, database, view, sequence...: {@code objectType} is e.g. {@code table}. */
    record DropObject(String objectType, List<String> names) implements Ddl {
    }

    /** TRUNCATE. */
    record Truncate(List<String> tables) implements Ddl {
    }

    /** VACUUM, FULL or not. */
    record Vacuum(boolean full) implements Ddl {
    }

    /** CLUSTER. */
    record Cluster() implements Ddl {
    }

    /** BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK. */
    record TransactionControl(boolean begins) implements Ddl {
    }

    /** Anything else (DML, functions, grants...): no rule applies. */
    record Other(String head) implements Ddl {
    }

    /** One action of an ALTER TABLE. */
    sealed interface Action {
    }

    /** ADD COLUMN. */
    record AddColumn(String column, String type, String defaultExpression, boolean notNull) implements Action {
    }

    /** DROP COLUMN. */
    record DropColumn(String column) implements Action {
    }

    /** RENAME COLUMN. */
    record RenameColumn(String from, String to) implements Action {
    }

    /** RENAME TO. */
    record RenameTable(String to) implements Action {
    }

    /** ALTER COLUMN ... TYPE. */
    record AlterColumnType(String column, String type) implements Action {
    }

    /** ALTER COLUMN ... SET NOT NULL. */
    record SetNotNull(String column) implements Action {
    }

    /** ADD [CONSTRAINT name] CHECK / FOREIGN KEY / UNIQUE / PRIMARY KEY / EXCLUDE. */
    record AddConstraint(String name, String kind, boolean notValid, boolean usingIndex, String checkExpression)
            implements Action {
    }

    /** VALIDATE CONSTRAINT. */
    record ValidateConstraint(String name) implements Action {
    }

    /** DROP CONSTRAINT. */
    record DropConstraint(String name) implements Action {
    }

    /** Any other action (SET DEFAULT, DROP NOT NULL, OWNER...). */
    record OtherAction(String head) implements Action {
    }
}
