package dev.switchback.web.auth;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Map;
import java.util.Set;

/** Verified identities as the JWT layer hands them over: a token's claims and its roles. */
final class TestTokens {

    private TestTokens() {
    }

    /** The claims of a verified token. */
    record Token(Map<String, Object> claims) implements JsonWebToken {
        @Override
        public String getName() {
            return (String) claims.get("sub");
        }

        @Override
        public Set<String> getClaimNames() {
            return claims.keySet();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getClaim(String claimName) {
            return (T) claims.get(claimName);
        }
    }

    static SecurityIdentity identity(Map<String, Object> claims, String... roles) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new Token(claims)).addRoles(Set.of(roles)).build();
    }

    static SecurityIdentity anonymous() {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("")).setAnonymous(true).build();
    }
}
