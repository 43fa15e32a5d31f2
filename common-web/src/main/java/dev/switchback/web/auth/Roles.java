package dev.switchback.web.auth;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The four roles a token may carry (claim {@code groups}), and what each implies: every role may read, and
 * {@code admin} may do everything the others may. Approving one's own release stays refused whatever the roles.
 */
public final class Roles {

    /** viewer: reads releases, history, queues, specs, instances, routes and the audit trail. */
    public static final String VIEWER = "viewer";
    /** releaser: submits, promotes, aborts and rolls back releases. */
    public static final String RELEASER = "releaser";
    /** approver: approves or rejects releases that wait for approval. */
    public static final String APPROVER = "approver";
    /** admin: registers and changes service specs, stamps databases, sets freezes and overrides them. */
    public static final String ADMIN = "admin";

    public static final Set<String> ALL = Set.of(VIEWER, RELEASER, APPROVER, ADMIN);

    private static final Map<String, Set<String>> IMPLIES = Map.of(
            VIEWER, Set.of(VIEWER),
            RELEASER, Set.of(RELEASER, VIEWER),
            APPROVER, Set.of(APPROVER, VIEWER),
            ADMIN, ALL);

    private Roles() {
    }

    /** The roles held by a token that names these: its own and the ones they imply; unknown names are kept as they are. */
    public static Set<String> implied(Collection<String> roles) {
        Set<String> all = new LinkedHashSet<>(roles);
        roles.forEach(role -> all.addAll(IMPLIES.getOrDefault(role, Set.of())));
        return all;
    }
}
