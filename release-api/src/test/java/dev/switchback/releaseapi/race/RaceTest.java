package dev.switchback.releaseapi.race;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.BakeCompleted;
import dev.switchback.events.CloudEvent;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.EventCodec;
import dev.switchback.events.EventType;
import dev.switchback.events.GreenReady;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.events.RollbackFailed;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.Callers;
import dev.switchback.infra.test.KafkaEvents;
import dev.switchback.infra.test.Together;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static dev.switchback.releaseapi.support.ReleaseApiFixture.BLUE;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.GREEN;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.MIGRATOR;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.DEPLOYER;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.SWITCHER;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.TIMEOUT;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.awaitPhase;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.goLive;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.newService;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.register;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.submit;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Commands and stage events racing on one release, many rounds each: every round ends in exactly one consistent
 * outcome, with one decision, one event and one audit entry for it, and the queue moving on.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_race"))
class RaceTest {

    private static final int ROUNDS = 5;
    private static final String SPEC = """
            {"artifact": "/opt/apps/demo-{version}.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]},
             "router": {"port": %d}, "rollout": {"bakeSeconds": 600}}
            """;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaEvents kafka;

    @BeforeEach
    void setUp() {
        Callers.actAs("race-admin", "admin");
        kafka = dev.switchback.releaseapi.support.ReleaseApiFixture.kafka(bootstrapServers);
    }

    @Test
    void shouldTakeOneDecisionWhenFourApproveAndFourRejectAtOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String service = newService("four-eyes");
            register(service, "production", spec());
            String id = given().header("Authorization", Callers.bearer("alice", "releaser")).contentType(ContentType.JSON)
                    .body("{\"service\":\"" + service + "\",\"environment\":\"production\",\"version\":\"1.0.0\"}")
                    .post("/releases").then().statusCode(202).extract().path("id");
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String approver = Callers.bearer("approver-" + i, "approver");
                String rejecter = Callers.bearer("rejecter-" + i, "approver");
                calls.add(() -> given().header("Authorization", approver).post("/releases/{id}/approve", id).statusCode());
                calls.add(() -> given().header("Authorization", rejecter).post("/releases/{id}/reject", id).statusCode());
            }
            List<Integer> statuses = Together.run(calls);

            assertThat(statuses).as("round %d", round).containsOnly(200, 409);
            assertThat(statuses.stream().filter(s -> s == 200)).as("round %d", round).hasSize(1);
            JsonNode release = release(id);
            String decision = release.path("approval").path("decision").asText();
            assertThat(decision).isIn("approved", "rejected");
            List<String> decided = audit(service, id, "release.approve", "release.reject-approval");
            assertThat(decided).hasSize(1);
            if (decision.equals("approved")) {
                assertThat(decided).containsExactly("release.approve");
                awaitPhase(id, "MIGRATING");
                await().atMost(TIMEOUT).until(() -> count(id, EventType.RELEASE_STARTED) == 1);
                assertThat(count(id, EventType.RELEASE_APPROVED)).isEqualTo(1);
                assertThat(count(id, EventType.RELEASE_APPROVAL_REJECTED)).isZero();
            } else {
                assertThat(decided).containsExactly("release.reject-approval");
                assertThat(release.path("phase").asText()).isEqualTo("CANCELLED");
                await().atMost(TIMEOUT).until(() -> count(id, EventType.RELEASE_CANCELLED) == 1);
                assertThat(count(id, EventType.RELEASE_APPROVAL_REJECTED)).isEqualTo(1);
                assertThat(count(id, EventType.RELEASE_APPROVED) + count(id, EventType.RELEASE_STARTED)).isZero();
            }
        }
    }

    @Test
    void shouldAcceptOnlyOneOfPromoteAndRollbackSentTogether() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String service = newService("promote-rollback");
            register(service, "local", spec());
            String first = submit(service, "local", "1.0.0");
            String next = submit(service, "local", "1.1.0");
            ReleaseRef ref = goLive(kafka, first);

            List<Integer> statuses = Together.run(List.of(
                    () -> given().post("/releases/{id}/promote", first).statusCode(),
                    () -> given().post("/releases/{id}/rollback", first).statusCode()));

            assertThat(statuses).as("round %d", round).containsExactlyInAnyOrder(202, 409);
            boolean promoted = statuses.get(0) == 202;
            EventType asked = promoted ? EventType.RELEASE_PROMOTE_REQUESTED : EventType.RELEASE_ROLLBACK_REQUESTED;
            EventType refused = promoted ? EventType.RELEASE_ROLLBACK_REQUESTED : EventType.RELEASE_PROMOTE_REQUESTED;
            await().atMost(TIMEOUT).until(() -> count(first, asked) == 1);
            assertThat(count(first, refused)).isZero();
            assertThat(audit(service, first, "release.promote", "release.rollback"))
                    .containsExactly(promoted ? "release.promote" : "release.rollback");

            // The switcher carries out the one it was asked for; the release ends where the traffic is.
            if (promoted) {
                kafka.publish(SWITCHER, new BakeCompleted(ref, "promoted on request", 3, 0, null));
                await().atMost(TIMEOUT).until(() -> !release(first).path("promotedAt").isNull());
                assertThat(release(first).path("phase").asText()).isEqualTo("LIVE");
            } else {
                kafka.publish(SWITCHER, new RollbackCompleted(ref, 9999, BLUE, "0.9.0", "rollback requested", 2L));
                awaitPhase(first, "ROLLED_BACK");
            }
            awaitPhase(next, "MIGRATING");
        }
    }

    @Test
    void shouldRecordAPromotionTheSwitcherDecidedWhileARollbackWasOnItsWay() {
        String service = newService("split-authority");
        register(service, "local", spec());
        String first = submit(service, "local", "1.0.0");
        String next = submit(service, "local", "1.1.0");
        ReleaseRef ref = goLive(kafka, first);
        given().post("/releases/{id}/rollback", first).then().statusCode(202);
        awaitPhase(first, "ROLLING_BACK");

        // The switcher had promoted just before the rollback reached it, then refused the rollback.
        kafka.publish(SWITCHER, new BakeCompleted(ref, "bake passed", 10, 0, null));
        kafka.publish(SWITCHER, new RollbackFailed(ref, "release " + first + " was promoted and blue was retired"));

        awaitPhase(next, "MIGRATING");
        await().atMost(TIMEOUT).until(() -> count(first, EventType.TRAFFIC_ROLLBACK_FAILED) == 1
                && release(first).path("steps").findValuesAsText("event").contains(EventType.TRAFFIC_ROLLBACK_FAILED.type()));
        JsonNode release = release(first);
        assertThat(release.path("phase").asText()).isEqualTo("LIVE");
        assertThat(release.path("promotedAt").isNull()).isFalse();
        assertThat(release.path("conditions").findValuesAsText("status")).containsExactly("False", "True");
        assertThat(count(first, EventType.RELEASE_PROMOTED)).isEqualTo(1);
        given().post("/releases/{id}/rollback", first).then().statusCode(409);
    }

    @Test
    void shouldEndAbortRacingCutoverEitherCancelledOrLiveNeverBoth() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String service = newService("abort-cutover");
            register(service, "local", spec());
            String id = submit(service, "local", "1.0.0");
            ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
            ReleaseRef ref = started.release();
            kafka.publish(MIGRATOR, new MigrationSucceeded(ref, started.spec(), List.of(), 1));
            kafka.publish(DEPLOYER, new GreenReady(ref, started.spec(), "g", GREEN));
            awaitPhase(id, "SWITCHING");

            List<Integer> statuses = Together.run(List.of(
                    () -> given().post("/releases/{id}/abort", id).statusCode(),
                    () -> {
                        kafka.publish(SWITCHER, new CutoverCompleted(ref, 9999, BLUE, GREEN));
                        return 0;
                    }));
            int abort = statuses.get(0);
            assertThat(abort).isIn(200, 409);
            await().atMost(TIMEOUT).until(() -> release(id).path("steps").findValuesAsText("event")
                    .contains(EventType.TRAFFIC_CUTOVER_COMPLETED.type()));
            JsonNode release = release(id);
            if (abort == 200) {
                assertThat(release.path("phase").asText()).as("round %d", round).isEqualTo("CANCELLED");
                assertThat(release.path("liveAt").isNull()).isTrue();
                assertThat(count(id, EventType.RELEASE_LIVE)).isZero();
            } else {
                assertThat(release.path("phase").asText()).as("round %d", round).isEqualTo("LIVE");
                await().atMost(TIMEOUT).until(() -> count(id, EventType.RELEASE_LIVE) == 1);
                assertThat(count(id, EventType.RELEASE_CANCELLED)).isZero();
            }
            // QUEUED -> MIGRATING -> (DEPLOYING ->) SWITCHING -> one end: never a second one.
            assertThat(audit(service, id, "release.phase")).hasSizeBetween(3, 4);
        }
    }

    private String spec() {
        return SPEC.formatted(20000 + (int) (Math.random() * 20000));
    }


    private static JsonNode release(String id) {
        try {
            return EventCodec.mapper().readTree(given().get("/releases/{id}", id).then().statusCode(200).extract().asString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The actions of the release's audit entries, in order, among those named. */
    private static List<String> audit(String service, String id, String... actions) {
        List<String> wanted = List.of(actions);
        List<String> found = new ArrayList<>();
        for (String line : given().queryParam("service", service).get("/audit").then().statusCode(200).extract()
                .asString().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode entry = EventCodec.mapper().readTree(line);
                if (id.equals(entry.path("releaseId").asText()) && wanted.contains(entry.path("action").asText())) {
                    found.add(entry.path("action").asText());
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return found;
    }

    private long count(String id, EventType type) {
        return kafka.ofRelease(id).stream().map(CloudEvent::type).filter(type.type()::equals).count();
    }
}
