package dev.switchback.lint;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the lint makes of one statement: its kind, named as PostgreSQL's parser names the statement's node
 * ({@code AlterTableStmt}, {@code DropStmt:OBJECT_VIEW}, {@code RenameStmt:OBJECT_COLUMN}...), the relations it acts
 * on (targets and referenced tables, as PostgreSQL folds their names), and the rules it breaks. No finding means the
 * statement is a form known to be safe in an expand release.
 */
final class Classification {

    private String kind;
    private final Set<String> relations = new LinkedHashSet<>();
    private final List<Finding> findings = new ArrayList<>();
    private boolean alone;

    Classification(String kind) {
        this.kind = kind;
    }

    String kind() {
        return kind;
    }

    /** Names the kind after the fact, where the words that decide it come late. */
    Classification kindOf(String kind) {
        this.kind = kind;
        return this;
    }

    Set<String> relations() {
        return relations;
    }

    List<Finding> findings() {
        return findings;
    }

    /** Whether PostgreSQL refuses to run it inside a transaction block (CONCURRENTLY, VACUUM). */
    boolean alone() {
        return alone;
    }

    Classification mustRunAlone() {
        alone = true;
        return this;
    }

    Classification relation(String name) {
        relations.add(name);
        return this;
    }

    Classification refuse(Rule rule, String message) {
        findings.add(new Finding(rule, message));
        return this;
    }

    Classification add(Finding finding) {
        findings.add(finding);
        return this;
    }
}
