package dev.switchback.lint;

/**
 * What one rule says about one statement.
 *
 * @param rule        rule: the rule it breaks
 * @param message     message: what is unsafe about this statement
 * @param alternative alternative: the safe way, when this statement has a more specific one than the rule's
 * @param destructive destructive: the rule's own, unless this statement is a contract change where the rule is
 *                    usually a hazard (SET NOT NULL after a validated check)
 */
record Finding(Rule rule, String message, String alternative, boolean destructive) {

    Finding(Rule rule, String message) {
        this(rule, message, rule.alternative(), rule.destructive());
    }
}
