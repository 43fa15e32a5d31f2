package dev.switchback.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * GRANT and REVOKE. Granting privileges on objects the same release creates is part of creating them (the live
 * version's role needs them before the code that uses them arrives) and passes. Granting on anything else, and
 * role membership, changes who may do what outside the release's new objects; REVOKE may take away access the live
 * version uses, a contract change.
 */
final class GrantClassifier {

    private GrantClassifier() {
    }

    static Classification grant(Cursor c, RunState state) {
        boolean revoke = c.next().is("revoke");
        List<Token> top = Cursor.depthZero(c.rest());
        int on = -1;
        for (int i = 0; i < top.size(); i++) {
            if (top.get(i).is("on")) {
                on = i;
                break;
            }
        }
        if (on < 0) {
            return new Classification("GrantRoleStmt").refuse(Rule.ROLE_CHANGE, (revoke ? "REVOKE" : "GRANT")
                    + " of role membership changes what a role may do");
        }
        Cursor at = new Cursor(top);
        at.seek(on + 1);
        Classification result = new Classification("GrantStmt");
        String target = at.accept("all") ? "ALL" : ObjectTypes.read(at);
        if (target == null) {
            target = "TABLE";
        }
        List<String> names = new ArrayList<>();
        if (!target.equals("ALL")) {
            while (!at.atEnd() && !at.at("to") && !at.at("from")) {
                names.add(at.name());
                at.acceptSymbol(",");
            }
            if (target.equals("TABLE") || target.equals("SEQUENCE")) {
                names.forEach(result::relation);
            }
        }
        boolean allNew = !names.isEmpty() && names.stream().allMatch(state::isNew);
        if (revoke) {
            return allNew ? result : result.refuse(Rule.REVOKE, "REVOKE on " + describe(target, names)
                    + " may take away access the live version uses");
        }
        return allNew ? result : result.refuse(Rule.PRIVILEGES, "GRANT on " + describe(target, names)
                + ", which this release did not create, changes who may use existing objects");
    }

    private static String describe(String target, List<String> names) {
        return target.equals("ALL") ? "every object of a schema"
                : ObjectTypes.label(target).toLowerCase(Locale.ROOT) + " " + String.join(", ", names);
    }
}
