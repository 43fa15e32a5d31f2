package dev.switchback.lint;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the earlier statements of one lint run (all migrations of a release, in order) already did: objects they
 * created, which nobody else uses yet, so what follows on them locks and breaks nobody; and CHECK (col IS NOT NULL)
 * constraints they added and validated, which let a later SET NOT NULL skip its scan.
 */
final class RunState {

    private final Set<String> created = new HashSet<>();
    private final Map<String, String> notNullChecks = new HashMap<>();
    private final Set<String> validatedNotNull = new HashSet<>();

    /** Records an object (table, view, function, type, index, sequence, schema...) created by this run. */
    void created(String name) {
        created.add(name);
        created.add(simple(name));
    }

    /**
     * Whether this run created the object. A qualified name must match as written; an unqualified one matches
     * by its last part, as the search path would usually find it.
     */
    boolean isNew(String name) {
        if (name == null) {
            return false;
        }
        return created.contains(name);
    }

    /** Records {@code ADD CONSTRAINT name CHECK (column IS NOT NULL)} on a table. */
    void notNullCheck(String constraint, String table, String column) {
        notNullChecks.put(constraint, simple(table) + "." + column);
    }

    /** Records {@code VALIDATE CONSTRAINT name}. */
    void validated(String constraint) {
        String column = notNullChecks.get(constraint);
        if (column != null) {
            validatedNotNull.add(column);
        }
    }

    /** Whether a validated CHECK (column IS NOT NULL) on the table was added by this run. */
    boolean notNullProven(String table, String column) {
        return validatedNotNull.contains(simple(table) + "." + column);
    }

    static String simple(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
