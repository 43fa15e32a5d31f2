package dev.switchback.releaseapi.release;

import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.ReleaseFailed;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.events.RollbackRequested;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.Callers;
import dev.switchback.infra.test.KafkaEvents;
import dev.switchback.releaseapi.support.ReleaseApiFixture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The watchdog: a release whose stage never answers ends FAILED at its deadline and frees its queue. */
@QuarkusTest
@TestProfile(WatchdogTest.ShortDeadlines.class)
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_watchdog"))
class WatchdogTest {

    @BeforeEach
    void authenticate() {
        Callers.actAs("ci", "admin");
    }

    /** Deadlines of seconds instead of minutes. */
    public static class ShortDeadlines implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchback.release.migrating-deadline", "2s", "switchback.release.watchdog-interval", "1s",
                    "switchback.release.baking-deadline", "1s", "switchback.release.approval.expires-after", "3s");
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private static KafkaEvents kafka;


    @Test
    void shouldRollBackALiveReleaseWhoseBakeNeverEnds() {
        kafka = ReleaseApiFixture.kafka(bootstrapServers);
        String service = ReleaseApiFixture.newService("baking");
        given().contentType(ContentType.JSON).body("""
                {"artifact": "/opt/app.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]}, "router": {"port": 9998},
                 "rollout": {"bakeSeconds": 2}}
                """).put("/services/{service}/environments/local", service).then().statusCode(201);
        String id = given().contentType(ContentType.JSON)
                .body("{\"service\":\"" + service + "\",\"environment\":\"local\",\"version\":\"1.0.0\"}")
                .post("/releases").then().statusCode(202).extract().path("id");
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        ReleaseRef ref = started.release();
        kafka.publish("/switchback/db-migrator", new MigrationSucceeded(ref, started.spec(), List.of(), 1));
        kafka.publish("/switchback/traffic-switcher", new CutoverCompleted(ref, 9998, "http://127.0.0.1:1", "http://127.0.0.1:2"));

        // No bake-completed ever comes (the switcher is away): 2 s of bake plus 1 s of grace, then back to blue.
        RollbackRequested rollback = kafka.await(RollbackRequested.class, id, TIMEOUT);
        assertThat(rollback.reason()).contains("bake did not end");
        given().get("/releases/{id}", id).then().body("phase", equalTo("ROLLING_BACK"));
    }

    @Test
    void shouldFailAReleaseStuckPastItsDeadlineAndStartTheNextOne() {
        kafka = ReleaseApiFixture.kafka(bootstrapServers);
        String service = ReleaseApiFixture.newService("stuck");
        given().contentType(ContentType.JSON).body("""
                {"artifact": "/opt/app.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]}, "router": {"port": 9999}}
                """).put("/services/{service}/environments/local", service).then().statusCode(201);
        String stuck = given().contentType(ContentType.JSON)
                .body("{\"service\":\"" + service + "\",\"environment\":\"local\",\"version\":\"1.0.0\"}")
                .post("/releases").then().statusCode(202).extract().path("id");
        String next = given().contentType(ContentType.JSON)
                .body("{\"service\":\"" + service + "\",\"environment\":\"local\",\"version\":\"1.0.1\"}")
                .post("/releases").then().statusCode(202).extract().path("id");

        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/releases/{id}", stuck).then()
                .body("phase", equalTo("FAILED")).body("reason", containsString("stuck in MIGRATING")));

        ReleaseFailed failed = kafka.await(ReleaseFailed.class, stuck, TIMEOUT);
        assertThat(failed.stage()).isEqualTo("watchdog");
        kafka.await(ReleaseStarted.class, next, TIMEOUT);
    }

    @Test
    void shouldCancelAReleaseWhoseApprovalExpiresAndRefuseALateApproval() {
        kafka = ReleaseApiFixture.kafka(bootstrapServers);
        String service = ReleaseApiFixture.newService("unapproved");
        given().contentType(ContentType.JSON).body("""
                {"artifact": "/opt/app.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]}, "router": {"port": 9997}}
                """).put("/services/{service}/environments/production", service).then().statusCode(201);
        String id = given().contentType(ContentType.JSON)
                .body("{\"service\":\"" + service + "\",\"environment\":\"production\",\"version\":\"1.0.0\"}")
                .post("/releases").then().statusCode(202).body("phase", equalTo("AWAITING_APPROVAL")).extract().path("id");

        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/releases/{id}", id).then()
                .body("phase", equalTo("CANCELLED")).body("reason", containsString("approval expired"))
                .body("approval.decision", equalTo("expired"))
                .body("conditions[0].type", equalTo("AwaitingApproval")).body("conditions[0].reason", equalTo("Expired")));
        assertThat(kafka.await(dev.switchback.events.ReleaseCancelled.class, id, TIMEOUT).reason()).contains("approval expired");
        given().header("Authorization", Callers.bearer("late-approver", "approver"))
                .post("/releases/{id}/approve", id).then().statusCode(409);
        assertThat(kafka.typesOf(id, dev.switchback.events.Topics.RELEASES)).doesNotContain("dev.switchback.release.started");
        // The watchdog's act is the pipeline's in the audit trail, not an anonymous caller's.
        String trail = given().queryParam("service", service).get("/audit").then().statusCode(200).extract().asString();
        assertThat(trail.lines().filter(line -> line.contains("AWAITING_APPROVAL -> CANCELLED"))).singleElement()
                .asString().contains("\"actor\":\"pipeline\"");
    }

    @Test
    void shouldLetEitherTheApprovalOrItsExpiryWinNeverBoth() throws Exception {
        kafka = ReleaseApiFixture.kafka(bootstrapServers);
        for (int round = 0; round < 3; round++) {
            String service = ReleaseApiFixture.newService("expiring");
            given().contentType(ContentType.JSON).body("""
                    {"artifact": "/opt/app.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]}, "router": {"port": 9996}}
                    """).put("/services/{service}/environments/production", service).then().statusCode(201);
            String id = given().contentType(ContentType.JSON)
                    .body("{\"service\":\"" + service + "\",\"environment\":\"production\",\"version\":\"1.0.0\"}")
                    .post("/releases").then().statusCode(202).extract().path("id");
            java.time.Instant expiresAt = java.time.Instant.parse(given().get("/releases/{id}", id).then().extract()
                    .path("requestedAt")).plusSeconds(3);
            // Approve around the moment the watchdog (every second) may expire it: one of the two wins.
            Thread.sleep(Math.max(0, Duration.between(java.time.Instant.now(), expiresAt).toMillis() - 300 + 250L * round));
            int approval = given().header("Authorization", Callers.bearer("approver-" + round, "approver"))
                    .post("/releases/{id}/approve", id).then().extract().statusCode();

            assertThat(approval).isIn(200, 409);
            String decision = approval == 200 ? "approved" : "expired";
            await().atMost(TIMEOUT).untilAsserted(() -> given().get("/releases/{id}", id).then()
                    .body("approval.decision", equalTo(decision)));
            List<String> types = kafka.typesOf(id, dev.switchback.events.Topics.RELEASES);
            if (approval == 200) {
                await().atMost(TIMEOUT).until(() -> kafka.typesOf(id, dev.switchback.events.Topics.RELEASES)
                        .contains("dev.switchback.release.started"));
                given().get("/releases/{id}", id).then().body("reason", org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.containsString("approval expired")));
            } else {
                await().atMost(TIMEOUT).untilAsserted(() -> given().get("/releases/{id}", id).then()
                        .body("phase", equalTo("CANCELLED")).body("reason", containsString("approval expired")));
                assertThat(types).doesNotContain("dev.switchback.release.approved", "dev.switchback.release.started");
            }
        }
    }
}
