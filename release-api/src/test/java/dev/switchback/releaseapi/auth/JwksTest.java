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

/** Keys from a JSON Web Key Set, as an OIDC issuer (a CI system) publishes them, instead of a PEM file. */
@QuarkusTest
@TestProfile(JwksTest.Jwks.class)
class JwksTest {

    /** The tests' issuer's key, published as a JWKS document. */
    public static class Jwks implements QuarkusTestProfile {
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
        given().header("Authorization", Callers.bearer("ci", "viewer")).get("/audit/verify")
                .then().statusCode(200).body("status", equalTo("ok"));
        given().header("Authorization", "Bearer " + Tokens.sign(Tokens.foreignKeys().getPrivate(), Map.of(
                        "iss", "switchback", "aud", "switchback", "sub", "mallory", "groups", List.of("admin"),
                        "exp", Instant.now().plusSeconds(300).getEpochSecond())))
                .get("/audit/verify").then().statusCode(401);
    }
}
