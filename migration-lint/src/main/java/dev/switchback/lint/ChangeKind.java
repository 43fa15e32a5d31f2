package dev.switchback.lint;

import java.util.Locale;

/** Which kind of schema change a migration or a statement is, and so which kind a release may make (glossary: change kind). */
public enum ChangeKind {
    /** EXPAND: additive, backward-compatible changes only; the default, and the only kind that rides with code. */
    EXPAND,
    /** CONTRACT: destructive changes (drop, rename, narrowing, NOT NULL), alone in a release, after the code moved on. */
    CONTRACT;

    /** Reads {@code expand} or {@code contract}; null means expand. */
    public static ChangeKind of(String value) {
        if (value == null || value.isBlank()) {
            return EXPAND;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "expand" -> EXPAND;
            case "contract" -> CONTRACT;
            default -> throw new IllegalArgumentException("the change kind must be expand or contract, not " + value);
        };
    }

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
