package dev.switchback.releaseapi.auth;

import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.auth.Tokens;
import dev.switchback.infra.test.Callers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Who may call what on release-api: every endpoint against no token, bad tokens, each role, and a token limited to
 * another environment. A refused call changes nothing: the audit trail (which records every accepted action) does not
 * grow.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_auth"))
class AuthMatrixTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String SPEC = """
            {"artifact": "/opt/apps/demo-{version}.jar",
             "runtime": {"driver": "process", "command": ["java", "-jar", "{artifact}"]},
             "router": {"driver": "embedded", "port": %d},
             "health": {"path": "/health", "deadlineSeconds": 20}}
            """;

    /** One API call and the least role it needs. */
    record Call(String method, String path, String body, String role) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private String service;
    private String releaseId;

    @BeforeEach
    void setUp() {
        Callers.actAs("setup", "admin");
        service = "auth-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(SPEC.formatted(22000 + (int) (Math.random() * 5000)))
                .put("/services/{service}/environments/staging", service).then().statusCode(201);
        releaseId = given().contentType(ContentType.JSON)
                .body("{\"service\":\"" + service + "\",\"environment\":\"staging\",\"version\":\"1.0.0\"}")
                .post("/releases").then().statusCode(202).extract().path("id");
        Callers.anonymous();
    }

    /** Every endpoint of release-api; write calls carry bodies that fail validation, so an allowed call changes nothing. */
    private List<Call> calls() {
        String release = "/releases/" + releaseId;
        String spec = "/services/" + service + "/environments/staging";
        return List.of(
                new Call("GET", release, null, "viewer"),
                new Call("GET", "/releases?service=" + service + "&environment=staging", null, "viewer"),
                new Call("GET", "/services/" + service + "/queue", null, "viewer"),
                new Call("GET", spec, null, "viewer"),
                new Call("GET", "/environments/staging/freezes", null, "viewer"),
                new Call("GET", "/environments/staging/freeze-schedules", null, "viewer"),
                new Call("GET", "/audit", null, "viewer"),
                new Call("GET", "/audit/verify", null, "viewer"),
                new Call("GET", "/metrics/dora?environment=staging", null, "viewer"),
                new Call("POST", "/migrations/lint", "{}", "viewer"),
                new Call("POST", "/migrations/plan", "{}", "viewer"),
                new Call("POST", "/releases", "{}", "releaser"),
                new Call("POST", "/releases/" + UUID.randomUUID() + "/rollback", null, "releaser"),
                new Call("POST", "/releases/" + UUID.randomUUID() + "/promote", null, "releaser"),
                new Call("POST", "/releases/" + UUID.randomUUID() + "/abort", null, "releaser"),
                new Call("POST", "/releases/" + UUID.randomUUID() + "/approve", "{}", "approver"),
                new Call("POST", "/releases/" + UUID.randomUUID() + "/reject", "{}", "approver"),
                new Call("PUT", spec, "{}", "admin"),
                new Call("POST", "/environments/staging/freezes", "{}", "admin"),
                new Call("DELETE", "/environments/staging/freezes/" + UUID.randomUUID(), null, "admin"),
                new Call("POST", "/environments/staging/freeze-schedules", "{}", "admin"),
                new Call("DELETE", "/environments/staging/freeze-schedules/" + UUID.randomUUID(), null, "admin"),
                new Call("GET", release + "/copies", null, "viewer"),
                new Call("POST", "/releases/" + UUID.randomUUID() + "/copies", "{}", "admin"),
                new Call("DELETE", "/releases/" + UUID.randomUUID() + "/copies/" + UUID.randomUUID(), null, "admin"),
                new Call("GET", "/me", null, "viewer"),
                new Call("GET", "/services", null, "viewer"),
                new Call("GET", "/instances?service=" + service + "&environment=staging", null, "viewer"),
                new Call("GET", release + "/analysis", null, "viewer"),
                new Call("GET", "/webhooks", null, "admin"),
                new Call("GET", "/webhooks/" + UUID.randomUUID() + "/deliveries", null, "admin"),
                new Call("POST", "/webhooks", "{}", "admin"),
                new Call("DELETE", "/webhooks/" + UUID.randomUUID(), null, "admin"));
    }

    private static Response send(Call call, String authorization) {
        var request = given();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (call.body() != null) {
            request.contentType(ContentType.JSON).body(call.body());
        }
        return request.request(call.method(), call.path());
    }

    @Test
    void shouldAnswer401WithProblemJsonToEveryCallWithoutAValidToken() {
        long entries = auditEntries();
        Map<String, String> badTokens = new LinkedHashMap<>();
        badTokens.put("no token", null);
        badTokens.put("expired", "Bearer " + Tokens.forTests().sign(claims(Instant.now().minusSeconds(7200), "switchback", "switchback")));
        badTokens.put("signed by another key", "Bearer " + Tokens.sign(Tokens.foreignKeys().getPrivate(),
                claims(Instant.now().plusSeconds(600), "switchback", "switchback")));
        badTokens.put("another issuer", "Bearer " + Tokens.forTests().sign(claims(Instant.now().plusSeconds(600), "someone-else", "switchback")));
        badTokens.put("another audience", "Bearer " + Tokens.forTests().sign(claims(Instant.now().plusSeconds(600), "switchback", "other-app")));
        badTokens.put("not a JWT", "Bearer not-a-token");
        badTokens.put("basic credentials", "Basic YWRtaW46YWRtaW4=");
        int checked = 0;
        for (Call call : calls()) {
            for (Map.Entry<String, String> bad : badTokens.entrySet()) {
                Response response = send(call, bad.getValue());
                assertThat(response.statusCode()).as(call + " with " + bad.getKey()).isEqualTo(401);
                assertThat(response.contentType()).as(call + " with " + bad.getKey()).startsWith(PROBLEM_JSON);
                assertThat(response.header("WWW-Authenticate")).as(call + " with " + bad.getKey()).startsWith("Bearer");
                checked++;
            }
        }
        assertThat(checked).isEqualTo(33 * 7);
        // What failed is said to the caller, who holds the token anyway.
        send(calls().get(0), badTokens.get("expired")).then().body("detail", containsString("not valid"));
        // ...but never the token itself: answers end up in CI logs.
        String foreign = badTokens.get("signed by another key");
        String detail = send(calls().get(0), foreign).jsonPath().getString("detail");
        assertThat(detail).contains("signature").doesNotContain(foreign.substring(7, 40));
        assertThat(auditEntries()).isEqualTo(entries);
    }

    @Test
    void shouldAnswer403ToEachRoleOnEachEndpointBeyondIt() {
        long entries = auditEntries();
        Map<String, Set<String>> holds = Map.of(
                "viewer", Set.of("viewer"),
                "releaser", Set.of("viewer", "releaser"),
                "approver", Set.of("viewer", "approver"),
                "admin", Set.of("viewer", "releaser", "approver", "admin"));
        List<String> forbidden = new ArrayList<>();
        for (String role : List.of("viewer", "releaser", "approver", "admin")) {
            String token = Callers.bearer("matrix-" + role, role);
            for (Call call : calls()) {
                Response response = send(call, token);
                if (holds.get(role).contains(call.role())) {
                    assertThat(response.statusCode()).as(role + " on " + call).isNotIn(401, 403);
                } else {
                    assertThat(response.statusCode()).as(role + " on " + call).isEqualTo(403);
                    assertThat(response.contentType()).as(role + " on " + call).startsWith(PROBLEM_JSON);
                    forbidden.add(role + " " + call);
                }
            }
        }
        // viewer: the 13 writes; releaser: approve, reject and the 7 admin calls; approver: the 4 releaser and 7 admin calls.
        assertThat(forbidden).hasSize(13 + 9 + 11);
        // A token with no known role reads nothing.
        assertThat(send(calls().get(0), Callers.bearer("nobody", "guest")).statusCode()).isEqualTo(403);
        assertThat(auditEntries()).isEqualTo(entries);
    }

    @Test
    void shouldAnswer403ToATokenLimitedToAnotherEnvironment() {
        long entries = auditEntries();
        String production = "Bearer " + Tokens.forTests().token("prod-ci", List.of("admin"), List.of("production"),
                java.time.Duration.ofMinutes(5));
        List<Call> writes = List.of(
                new Call("POST", "/releases", "{\"service\":\"" + service + "\",\"environment\":\"staging\",\"version\":\"2.0.0\"}", "releaser"),
                new Call("POST", "/releases/" + releaseId + "/abort", null, "releaser"),
                new Call("POST", "/releases/" + releaseId + "/rollback", null, "releaser"),
                new Call("POST", "/releases/" + releaseId + "/promote", null, "releaser"),
                new Call("POST", "/releases/" + releaseId + "/approve", "{}", "approver"),
                new Call("POST", "/releases/" + releaseId + "/reject", "{}", "approver"),
                new Call("PUT", "/services/" + service + "/environments/staging", SPEC.formatted(22999), "admin"),
                new Call("POST", "/environments/staging/freezes",
                        "{\"start\":\"2030-01-01T00:00:00\",\"end\":\"2030-01-02T00:00:00\",\"zone\":\"UTC\",\"reason\":\"x\"}", "admin"),
                new Call("DELETE", "/environments/staging/freezes/" + UUID.randomUUID(), null, "admin"),
                new Call("POST", "/releases/" + releaseId + "/copies", "{}", "admin"),
                new Call("POST", "/webhooks", "{\"environment\":\"staging\",\"url\":\"http://127.0.0.1:1/hook\","
                        + "\"kind\":\"slack\",\"events\":[\"failed\"]}", "admin"));
        for (Call call : writes) {
            Response response = send(call, production);
            assertThat(response.statusCode()).as(call.toString()).isEqualTo(403);
            assertThat(response.contentType()).startsWith(PROBLEM_JSON);
            assertThat(response.jsonPath().getString("detail")).as(call.toString()).contains("production", "staging");
        }
        // The same token acts on its own environment, and a staging token on staging.
        given().header("Authorization", production).contentType(ContentType.JSON).body(SPEC.formatted(22998))
                .put("/services/{service}/environments/production", service).then().statusCode(201);
        given().header("Authorization", "Bearer " + Tokens.forTests().token("staging-ci", List.of("releaser"),
                        List.of("staging"), java.time.Duration.ofMinutes(5)))
                .post("/releases/{id}/abort", releaseId).then().statusCode(200).body("phase", equalTo("CANCELLED"));
        // Nothing of the refused calls: only the two allowed ones (a spec, an abort with its phase change).
        assertThat(auditEntries()).isEqualTo(entries + 3);
    }

    @Test
    void shouldForgiveAClockBehindByUpToThirtySeconds() {
        Call read = calls().get(0);
        assertThat(send(read, "Bearer " + Tokens.forTests().sign(claims(Instant.now().minusSeconds(10), "switchback",
                "switchback"))).statusCode()).as("expired 10 s ago").isEqualTo(200);
        assertThat(send(read, "Bearer " + Tokens.forTests().sign(claims(Instant.now().minusSeconds(60), "switchback",
                "switchback"))).statusCode()).as("expired 60 s ago").isEqualTo(401);
    }

    @Test
    void shouldLetEveryoneReadHealthAndTheOpenApiDocument() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void shouldKeepEmergencyReleasesToAdmins() {
        String body = "{\"service\":\"" + service + "\",\"environment\":\"staging\",\"version\":\"3.0.0\","
                + "\"emergency\":\"hotfix for the outage\"}";
        given().header("Authorization", Callers.bearer("ci", "releaser")).contentType(ContentType.JSON).body(body)
                .post("/releases").then().statusCode(403).body("detail", containsString("admin"));
        given().header("Authorization", Callers.bearer("oncall", "admin")).contentType(ContentType.JSON).body(body)
                .post("/releases").then().statusCode(202);
    }

    private static Map<String, Object> claims(Instant expiresAt, String issuer, String audience) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("aud", audience);
        claims.put("sub", "mallory");
        claims.put("iat", expiresAt.minusSeconds(3600).getEpochSecond());
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("groups", List.of("admin"));
        return claims;
    }

    private static long auditEntries() {
        return given().header("Authorization", Callers.bearer("auditor", "viewer")).get("/audit/verify")
                .then().statusCode(200).body("status", equalTo("ok")).extract().jsonPath().getLong("entries");
    }
}
