package dev.switchback.releaseapi.auth;

import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.auth.Tokens;
import dev.switchback.infra.test.Callers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * Tokens of an OIDC issuer shared by many (a CI provider's): keys from its JSON Web Key Set, and roles only for the
 * subjects this installation trusts.
 */
@QuarkusTest
@TestProfile(OidcIssuerTest.SharedIssuer.class)
class OidcIssuerTest {

    /** The tests' issuer's key, published as a JWKS document; only acme's repositories are trusted. */
    public static class SharedIssuer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchback.auth.subject-pattern", "repo:acme/[a-z0-9-]+:.*");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(JwksResource.class, Map.of("database", "release_api_jwks")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** The shared infrastructure, with the verification key given as a JWKS. */
    public static class JwksResource extends InfraTestResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new java.util.HashMap<>(super.start());
            config.put("mp.jwt.verify.publickey.location", Tokens.forTests().jwks().toString());
            return config;
        }
    }

    @Test
    void shouldVerifyTokensAgainstAKeySet() {
        given().header("Authorization", Callers.bearer("repo:acme/shop:environment:production", "viewer"))
                .get("/audit/verify").then().statusCode(200).body("status", equalTo("ok"));
        given().header("Authorization", "Bearer " + Tokens.sign(Tokens.foreignKeys().getPrivate(), Map.of(
                        "iss", "switchback", "aud", "switchback", "sub", "mallory", "groups", List.of("admin"),
                        "exp", Instant.now().plusSeconds(300).getEpochSecond())))
                .get("/audit/verify").then().statusCode(401);
    }

    @Test
    void shouldGiveNoRoleToASubjectOutsideThePattern() {
        // Validly signed by the same issuer, for another organisation's repository: verified, and allowed nothing.
        given().header("Authorization", Callers.bearer("repo:evil/shop:environment:production", "admin"))
                .get("/audit/verify").then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", Callers.bearer("repo:acme/shop:ref:refs/heads/main", "viewer"))
                .get("/audit/verify").then().statusCode(200);
    }
}
