package dev.switchback.releaseapi.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.BakeCompleted;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.EventCodec;
import dev.switchback.events.GreenReady;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.Callers;
import dev.switchback.releaseapi.support.ReleaseApiTest;
import dev.switchback.releaseapi.support.SseClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.switchback.releaseapi.support.ReleaseApiFixture.BLUE;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.DEPLOYER;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.GREEN;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.MIGRATOR;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.SWITCHER;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.TIMEOUT;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.awaitPhase;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.submit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /releases/stream} through a real HTTP connection, fed by the real broker: the stages' events arrive live,
 * each with the release's status after release-api projected it; filters, tokens, heartbeats and resuming.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_test"))
class ReleaseStreamTest extends ReleaseApiTest {

    private static final String SPEC = """
            {"artifact": "/opt/apps/demo-{version}.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]}, "router": {"port": %d},
             "rollout": {"strategy": "blue-green", "bakeSeconds": 30}}
            """;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @BeforeEach
    void registerService() {
        registerService("ci", "stream", SPEC, "local", "staging");
    }

    @Test
    void shouldStreamEachStageLiveWithTheReleasesPhaseAfterIt() throws Exception {
        String id = submit(service, "local", "1.0.0");
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        try (SseClient stream = connect("?release=" + id, viewer())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            SseClient.Event snapshot = stream.until(e -> true, WAIT).get(0);
            assertThat(snapshot.name()).isEqualTo("snapshot");
            assertThat(json(snapshot).path("release").path("phase").asText()).isEqualTo("MIGRATING");
            assertThat(json(snapshot).path("release").path("steps").size()).isGreaterThan(0);

            ReleaseRef ref = started.release();
            kafka.publish(MIGRATOR, new MigrationSucceeded(ref, started.spec(), List.of(), 7));
            JsonNode migrated = json(last(stream.until(e -> e.name().endsWith("migration.succeeded"), WAIT)));
            assertThat(migrated.path("release").path("phase").asText()).isEqualTo("DEPLOYING");
            assertThat(migrated.path("projected").asBoolean()).isTrue();
            assertThat(migrated.path("step").path("reason").asText()).contains("in 7 ms");
            assertThat(migrated.path("data").path("durationMillis").asInt()).isEqualTo(7);

            kafka.publish(DEPLOYER, new GreenReady(ref, started.spec(), "g", GREEN));
            kafka.publish(SWITCHER, new CutoverCompleted(ref, 9999, BLUE, GREEN));
            List<SseClient.Event> rest = stream.until(e -> e.name().endsWith("release.live"), WAIT);
            assertThat(rest).extracting(SseClient.Event::name).containsSubsequence("dev.switchback.deployment.green-ready",
                    "dev.switchback.traffic.cutover-completed", "dev.switchback.release.live");
            JsonNode cutover = json(rest.stream().filter(e -> e.name().endsWith("cutover-completed")).findFirst().orElseThrow());
            assertThat(cutover.path("release").path("phase").asText()).isEqualTo("LIVE");
            assertThat(cutover.path("release").path("done").asBoolean()).as("still baking").isFalse();
            assertThat(cutover.path("release").path("conditions").get(0).path("type").asText()).isEqualTo("Baking");
            assertThat(rest).allSatisfy(e -> assertThat(e.id()).isNotBlank());

            kafka.publish(SWITCHER, new BakeCompleted(ref, "bake passed", 30, 0, null));
            JsonNode promoted = json(last(stream.until(e -> e.name().endsWith("release.promoted"), WAIT)));
            assertThat(promoted.path("release").path("done").asBoolean()).isTrue();
            assertThat(promoted.path("release").path("promotedAt").isNull()).isFalse();
        }
    }

    @Test
    void shouldSendOnlyTheEventsTheFiltersAskFor() throws Exception {
        try (SseClient staging = connect("?service=" + service + "&environment=staging", viewer());
             SseClient all = connect("", viewer())) {
            String local = submit(service, "local", "1.0.0");
            String wanted = submit(service, "staging", "2.0.0");
            List<SseClient.Event> seen = staging.until(e -> e.data() != null && e.data().contains(wanted)
                    && e.name().endsWith("release.started"), WAIT);
            assertThat(seen).noneSatisfy(e -> assertThat(e.data()).contains(local));
            assertThat(seen).allSatisfy(e -> assertThat(json(e).path("environment").asText()).isEqualTo("staging"));
            all.until(e -> e.data() != null && e.data().contains(local), WAIT);
        }
    }

    @Test
    void shouldKeepATokenToItsEnvironments() throws Exception {
        String local = submit(service, "local", "1.0.0");
        try (SseClient refused = connect("?release=" + local, "Bearer " + tokenFor("staging"))) {
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.body()).contains("staging").contains("local");
        }
        try (SseClient scoped = connect("?service=" + service, "Bearer " + tokenFor("staging"))) {
            assertThat(scoped.status()).isEqualTo(200);
            String staged = submit(service, "staging", "1.0.0");
            List<SseClient.Event> seen = scoped.until(e -> e.data() != null && e.data().contains(staged), WAIT);
            assertThat(seen).noneSatisfy(e -> assertThat(e.data()).contains(local));
        }
    }

    @Test
    void shouldRefuseCallersWithoutATokenAndMalformedFilters() throws Exception {
        try (SseClient anonymous = connect("", null)) {
            assertThat(anonymous.status()).isEqualTo(401);
        }
        try (SseClient malformed = connect("?service=Not_A_Name", viewer())) {
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.contentType()).startsWith("application/problem+json");
        }
        try (SseClient unknown = connect("?release=00000000-0000-0000-0000-000000000000", viewer())) {
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void shouldResumeAfterTheLastEventIdWithoutASnapshot() throws Exception {
        String id = submit(service, "local", "1.0.0");
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        String lastSeen;
        try (SseClient first = connect("?release=" + id, viewer())) {
            first.until(e -> "snapshot".equals(e.name()), WAIT);
            kafka.publish(MIGRATOR, new MigrationSucceeded(started.release(), started.spec(), List.of(), 1));
            lastSeen = last(first.until(e -> e.name().endsWith("migration.succeeded"), WAIT)).id();
        }
        // Missed while disconnected:
        kafka.publish(DEPLOYER, new GreenReady(started.release(), started.spec(), "g", GREEN));
        awaitPhase(id, "SWITCHING");

        try (SseClient resumed = connect("?release=" + id, viewer(), lastSeen)) {
            List<SseClient.Event> seen = resumed.until(e -> e.name().endsWith("green-ready"), WAIT);
            assertThat(seen).extracting(SseClient.Event::name).doesNotContain("snapshot", "dev.switchback.migration.succeeded");
            assertThat(json(seen.get(seen.size() - 1)).path("release").path("phase").asText()).isEqualTo("SWITCHING");
        }
    }

    @Test
    void shouldTellProxiesNotToBufferTheStream() throws Exception {
        try (SseClient stream = connect("?service=" + service + "&environment=local", viewer())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("X-Accel-Buffering")).isEqualTo("no");
            assertThat(stream.next(WAIT).comment()).as("the headers go out with the first bytes").isEqualTo("connected");
        }
    }

    @Test
    void shouldSendHeartbeatsWhileNothingHappens() throws Exception {
        try (SseClient idle = connect("?service=" + service + "&environment=local", viewer())) {
            assertThat(idle.next(WAIT).comment()).isEqualTo("connected");
            assertThat(idle.next(Duration.ofSeconds(5)).comment()).as("configured every second in tests").isEqualTo("heartbeat");
        }
    }

    /**
     * The event {@link SseClient#until} waited for, the last of those it read: release.started can still arrive after
     * the snapshot, ahead of the event a test published.
     */
    private static SseClient.Event last(List<SseClient.Event> read) {
        return read.get(read.size() - 1);
    }

    private static JsonNode json(SseClient.Event event) {
        try {
            return EventCodec.mapper().readTree(event.data());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + event.data(), e);
        }
    }

    private static String viewer() {
        return Callers.bearer("dashboard", "viewer");
    }

    private static String tokenFor(String environment) {
        return dev.switchback.infra.auth.Tokens.forTests().token("staging-viewer", List.of("viewer"), List.of(environment),
                Duration.ofMinutes(5));
    }

    private static SseClient connect(String query, String authorization) throws Exception {
        return connect(query, authorization, null);
    }

    private static SseClient connect(String query, String authorization, String lastEventId) throws Exception {
        return SseClient.connect("http://127.0.0.1:" + RestAssured.port + "/releases/stream" + query, authorization,
                lastEventId);
    }
}
