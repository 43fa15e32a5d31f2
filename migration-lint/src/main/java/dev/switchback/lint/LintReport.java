package dev.switchback.lint;

import java.util.List;

/**
 * The lint's verdict on a set of migrations.
 *
 * @param changeKind     changeKind: the change kind they were linted for
 * @param verdict        verdict: {@code allowed} or {@code refused}
 * @param classification classification: {@code contract} when any statement is destructive, else {@code expand}
 * @param statements     statements: how many statements were read
 * @param violations     violations: the statements that make the verdict {@code refused}
 * @param contract       contract: the destructive statements found, allowed or not, for a split into two releases
 * @param overridden     overridden: violations of rules the release explicitly overrides, which do not refuse it
 */
public record LintReport(String changeKind, String verdict, String classification, int statements,
                         List<LintViolation> violations, List<LintViolation> contract, List<LintViolation> overridden) {

    /** ALLOWED: nothing refused. */
    public static final String ALLOWED = "allowed";
    /** REFUSED: at least one violation. */
    public static final String REFUSED = "refused";

    public boolean allowed() {
        return ALLOWED.equals(verdict);
    }
}
