package dev.switchback.lint;

/**
 * One statement the lint refuses, or would refuse in an expand release.
 *
 * @param rule            rule: the rule's id, e.g. {@code adding-not-valid-constraint}
 * @param migration       migration: the version of the migration holding the statement
 * @param index           index: the statement's 1-based position in the migration
 * @param line            line: the 1-based line of the migration it starts on
 * @param statement       statement: the statement itself
 * @param message         message: what is unsafe about it
 * @param safeAlternative safeAlternative: how to make the same change safely
 * @param destructive     destructive: whether it is a contract change, allowed in a contract release
 */
public record LintViolation(String rule, String migration, int index, int line, String statement, String message,
                            String safeAlternative, boolean destructive) {
}
