package dev.switchback.web.auth;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Adds the roles a token's roles imply, so an endpoint names only the least role it needs; and takes every role from
 * a token whose subject is not one this installation trusts ({@code switchback.auth.subject-pattern}): an issuer
 * shared by many (a CI provider's OIDC issuer signs tokens for every repository) must not grant roles to all of them.
 */
@ApplicationScoped
public class RoleAugmentor implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(RoleAugmentor.class);

    private final Optional<Pattern> subjects;

    public RoleAugmentor(@ConfigProperty(name = "switchback.auth.subject-pattern") Optional<String> subjects) {
        this.subjects = subjects.map(Pattern::compile);
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        String subject = Access.subjectOf(identity);
        if (subjects.isPresent() && (subject == null || !subjects.get().matcher(subject).matches())) {
            LOG.debugf("token subject %s does not match switchback.auth.subject-pattern: no roles", subject);
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder().setPrincipal(identity.getPrincipal())
                    .addCredentials(identity.getCredentials()).addAttributes(identity.getAttributes()).build());
        }
        Set<String> implied = Roles.implied(identity.getRoles());
        if (identity.getRoles().containsAll(implied)) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(implied).build());
    }
}
