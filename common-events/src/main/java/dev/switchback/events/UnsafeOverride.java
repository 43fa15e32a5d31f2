package dev.switchback.events;

/**
 * One lint rule a release overrides, like strong_migrations' {@code safety_assured}: explicit, with a reason, approved by
 * a second person and kept in the audit trail.
 *
 * @param rule   the lint rule's id, e.g. {@code require-concurrent-index-creation}
 * @param reason why the team knows the statement is safe here
 */
public record UnsafeOverride(String rule, String reason) {
}
