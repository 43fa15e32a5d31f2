package dev.switchback.web.auth;

import dev.switchback.web.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who calls, and where they may act: a token may be limited to some environments by a claim (default
 * {@code environments}: a JSON array or a space-separated string). A token without the claim is not limited, unless
 * {@code switchback.auth.require-environments} is set: then it may act nowhere (for issuers whose tokens do not always
 * carry the claim, such as CI jobs outside a deployment environment). Roles
 * are checked by {@code @RolesAllowed} on the endpoints; environments here, once the endpoint knows which one a call
 * touches.
 */
@RequestScoped
public class Access {

    private final SecurityIdentity identity;
    private final String environmentsClaim;
    private final boolean requireEnvironments;

    public Access(SecurityIdentity identity,
                  @ConfigProperty(name = "switchback.auth.environments-claim", defaultValue = "environments")
                  String environmentsClaim,
                  @ConfigProperty(name = "switchback.auth.require-environments", defaultValue = "false")
                  boolean requireEnvironments) {
        this.identity = identity;
        this.environmentsClaim = environmentsClaim;
        this.requireEnvironments = requireEnvironments;
    }

    /** The token's subject ({@code sub}), the name the audit trail and the events record. */
    public String subject() {
        return identity.isAnonymous() ? "anonymous" : subjectOf(identity);
    }

    /** A verified identity's subject: the token's {@code sub}, else the principal's name. */
    static String subjectOf(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null) {
            return jwt.getSubject();
        }
        return identity.getPrincipal().getName();
    }

    /** Whether the call carries no verified token (only health and the OpenAPI document answer such calls). */
    public boolean isAnonymous() {
        return identity.isAnonymous();
    }

    /** Whether the token holds the role, itself or implied by another ({@link RoleAugmentor}). */
    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }

    /** The environments the token is limited to; empty when it is not limited. */
    public Optional<Set<String>> environments() {
        if (!(identity.getPrincipal() instanceof JsonWebToken jwt) || !jwt.containsClaim(environmentsClaim)) {
            return requireEnvironments ? Optional.of(Set.of()) : Optional.empty();
        }
        Object claim = jwt.getClaim(environmentsClaim);
        Set<String> environments = new LinkedHashSet<>();
        if (claim instanceof Collection<?> values) {
            values.forEach(value -> environments.add(value instanceof JsonString s ? s.getString() : String.valueOf(value)));
        } else if (claim instanceof JsonString s) {
            environments.addAll(Arrays.asList(s.getString().trim().split("[\\s,]+")));
        } else if (claim instanceof String s) {
            environments.addAll(Arrays.asList(s.trim().split("[\\s,]+")));
        } else if (claim != null && claim != JsonValue.NULL) {
            // A claim of another shape limits the token to nothing rather than to everything.
            return Optional.of(Set.of());
        }
        environments.remove("");
        return Optional.of(environments);
    }

    /** Refuses (403) a call touching an environment the token is not for. */
    public void requireEnvironment(String environment) {
        Optional<Set<String>> allowed = environments();
        if (allowed.isPresent() && !allowed.get().contains(environment)) {
            throw ProblemException.forbidden(allowed.get().isEmpty()
                    ? "this token names no environment it may act on, and cannot act on " + environment
                    : "this token is limited to environment(s) " + String.join(", ", allowed.get())
                    + " and cannot act on " + environment);
        }
    }

    /** Refuses (403) a call that needs a role the token does not hold. */
    public void requireRole(String role, String why) {
        if (!identity.hasRole(role)) {
            throw ProblemException.forbidden(why + " needs role " + role);
        }
    }
}
