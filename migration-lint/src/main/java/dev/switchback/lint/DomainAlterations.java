package dev.switchback.lint;

/**
 * ALTER DOMAIN: a constraint added to a domain is checked against every column of that domain in every table (a
 * scan under the tables' locks) unless NOT VALID; SET NOT NULL scans the same way; dropping a constraint or the
 * default removes what the live version relies on.
 */
final class DomainAlterations {

    private DomainAlterations() {
    }

    static Classification alter(String domain, boolean isNew, Cursor c) {
        Classification result = new Classification("AlterDomainStmt");
        if (isNew || c.at("validate") || c.at("set", "default") || c.at("drop", "not", "null")) {
            return result;
        }
        if (c.at("add")) {
            return c.restHasSequence("not", "valid") ? result : result.refuse(Rule.ADDING_NOT_VALID_CONSTRAINT,
                    "adding a constraint to domain " + domain + " checks every column of that domain in every table");
        }
        if (c.at("set", "not", "null")) {
            return result.refuse(Rule.SETTING_NOT_NULL, "SET NOT NULL on domain " + domain + " scans every column of"
                    + " that domain and narrows what the live version may write");
        }
        if (c.at("drop", "constraint")) {
            return result.refuse(Rule.DROP_CONSTRAINT, "dropping a constraint of domain " + domain
                    + " removes a guarantee the live version may rely on");
        }
        if (c.at("drop", "default")) {
            return result.refuse(Rule.DROP_DEFAULT, "dropping the default of domain " + domain
                    + " changes what the live version's inserts store");
        }
        return StatementClassifier.unknown(c, "ALTER DOMAIN ... " + c.word());
    }
}
