package dev.switchback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.EventCodec;
import dev.switchback.events.EventType;
import dev.switchback.infra.Ports;
import dev.switchback.infra.suite.Suite;
import dev.switchback.infra.suite.SuiteConfig;
import dev.switchback.infra.test.KafkaEvents;
import dev.switchback.infra.test.Together;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Users racing each other on one release, through the running suite's API: promote against rollback, four approvers
 * against four rejecters, abort against the cutover. Every round ends in one consistent, terminal outcome: traffic where
 * the release says it is, one decision recorded, and the queue moving on to the next round's release.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RaceIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int ROUNDS = Integer.getInteger("switchback.race.rounds", 3);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Suite suite;
    private KafkaEvents kafka;
    private String router;
    private int minor = 1;

    @BeforeAll
    void startSuite() throws Exception {
        suite = Suites.start("suite-race");
        SuiteConfig config = suite.config();
        kafka = new KafkaEvents(config.kafkaBootstrap());
        router = "http://127.0.0.1:" + config.routerPort();
        // A bake long enough that every race below happens while blue is warm.
        String spec = suite.send("GET", "/services/sample-app/environments/local", null).body();
        assertThat(suite.send("PUT", "/services/sample-app/environments/local",
                spec.replace("\"bakeSeconds\":10", "\"bakeSeconds\":120")).statusCode()).isEqualTo(200);
        awaitPromoted(suite.sampleReleaseId());
    }

    @AfterAll
    void stopSuite() {
        if (kafka != null) {
            kafka.close();
        }
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    @Order(1)
    void shouldEndPromoteRacingRollbackWithTrafficWhereTheReleaseSays() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String blue = version(router);
            String version = nextVersion();
            String id = ship(version);
            awaitPhase(id, "LIVE");
            assertThat(version(router)).isEqualTo(version);

            List<Integer> statuses = Together.run(List.of(
                    () -> suite.send("POST", "/releases/" + id + "/promote", null).statusCode(),
                    () -> suite.send("POST", "/releases/" + id + "/rollback", null).statusCode()));

            assertThat(statuses).as("round %d", round).containsExactlyInAnyOrder(202, 409);
            if (statuses.get(0) == 202) {
                awaitPromoted(id);
                assertThat(release(id).path("phase").asText()).isEqualTo("LIVE");
                assertThat(version(router)).isEqualTo(version);
                assertThat(count(id, EventType.RELEASE_ROLLBACK_REQUESTED)).isZero();
            } else {
                awaitPhase(id, "ROLLED_BACK");
                assertThat(version(router)).isEqualTo(blue);
                assertThat(count(id, EventType.RELEASE_PROMOTE_REQUESTED)).isZero();
                // Blue is live again; its bake was over long ago, so the next round is not held up.
            }
            assertThat(liveVersionOfRoute()).isEqualTo(version(router));
        }
    }

    @Test
    @Order(2)
    void shouldTakeOneDecisionWhenApproversAndRejectersRaceInProduction() throws Exception {
        String spec = suite.send("GET", "/services/sample-app/environments/local", null).body();
        JsonNode local = EventCodec.mapper().readTree(spec);
        int port = Ports.free();
        // Production has a database of its own, stamped production: the fence refuses a production green pointed at
        // the local one.
        String localDatabase = local.path("database").path("url").asText();
        String productionDatabase = suite.postgres().createDatabase("sample_app_production");
        // sample-app's health reads its notes table: production has the schema its own first release would have made.
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(productionDatabase, "postgres", "");
             java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS notes (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)");
        }
        assertThat(suite.request(suite.config().url("db-migrator") + "/databases/stamp", "POST",
                "{\"service\": \"sample-app\", \"environment\": \"production\", \"url\": \"" + productionDatabase
                        + "\", \"username\": \"postgres\"}").statusCode()).isEqualTo(200);
        String production = spec.replace("\"port\":" + local.path("router").path("port").asInt(), "\"port\":" + port)
                .replace("\"bakeSeconds\":120", "\"bakeSeconds\":0").replace(localDatabase, productionDatabase);
        assertThat(production).doesNotContain(localDatabase + "\"");
        assertThat(suite.send("PUT", "/services/sample-app/environments/production", production).statusCode()).isEqualTo(201);
        String releaser = suite.tokens().token("alice", "releaser");
        for (int round = 0; round < ROUNDS; round++) {
            HttpResponse<String> accepted = suite.send("POST", "/releases", "{\"service\":\"sample-app\","
                    + "\"environment\":\"production\",\"version\":\"" + nextVersion() + "\"}", releaser);
            assertThat(accepted.statusCode()).isEqualTo(202);
            String id = EventCodec.mapper().readTree(accepted.body()).get("id").asText();
            awaitPhase(id, "AWAITING_APPROVAL");

            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String approver = suite.tokens().token("approver-" + i, "approver");
                String rejecter = suite.tokens().token("rejecter-" + i, "approver");
                calls.add(() -> suite.send("POST", "/releases/" + id + "/approve", null, approver).statusCode());
                calls.add(() -> suite.send("POST", "/releases/" + id + "/reject", null, rejecter).statusCode());
            }
            List<Integer> statuses = Together.run(calls);

            assertThat(statuses).as("round %d", round).containsOnly(200, 409);
            assertThat(statuses.stream().filter(s -> s == 200)).as("round %d", round).hasSize(1);
            String decision = release(id).path("approval").path("decision").asText();
            if (decision.equals("approved")) {
                awaitPhase(id, "LIVE");
                await().atMost(TIMEOUT).until(() -> count(id, EventType.RELEASE_STARTED) == 1);
                assertThat(count(id, EventType.RELEASE_APPROVAL_REJECTED)).isZero();
                assertThat(version("http://127.0.0.1:" + port)).isEqualTo(release(id).path("version").asText());
            } else {
                assertThat(decision).isEqualTo("rejected");
                assertThat(release(id).path("phase").asText()).isEqualTo("CANCELLED");
                assertThat(count(id, EventType.RELEASE_APPROVED) + count(id, EventType.RELEASE_STARTED)).isZero();
            }
            assertThat(count(id, EventType.RELEASE_APPROVED) + count(id, EventType.RELEASE_APPROVAL_REJECTED)).isEqualTo(1);
        }
    }

    @Test
    @Order(3)
    void shouldEndAbortRacingTheCutoverEitherCancelledOnBlueOrLiveOnGreen() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String blue = version(router);
            String version = nextVersion();
            String id = ship(version);
            // Abort as green becomes ready: the switcher may be cutting over at that moment.
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() ->
                    List.of("SWITCHING", "LIVE").contains(release(id).path("phase").asText()));
            int abort = suite.send("POST", "/releases/" + id + "/abort", null).statusCode();

            assertThat(abort).as("round %d", round).isIn(200, 409);
            if (abort == 200) {
                awaitPhase(id, "CANCELLED");
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(version(router)).isEqualTo(blue));
                assertThat(count(id, EventType.RELEASE_LIVE)).isZero();
            } else {
                awaitPhase(id, "LIVE");
                assertThat(version(router)).isEqualTo(version);
                // Leave no bake holding the queue for the next round.
                assertThat(suite.send("POST", "/releases/" + id + "/promote", null).statusCode()).isEqualTo(202);
                awaitPromoted(id);
            }
            assertThat(liveVersionOfRoute()).isEqualTo(version(router));
        }
    }

    private String nextVersion() {
        return "1." + (minor++) + ".0";
    }

    private String ship(String version) throws IOException {
        HttpResponse<String> accepted = suite.send("POST", "/releases",
                "{\"service\":\"sample-app\",\"environment\":\"local\",\"version\":\"" + version + "\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return EventCodec.mapper().readTree(accepted.body()).get("id").asText();
    }

    /** The version the switcher records as live on sample-app's local route. */
    private String liveVersionOfRoute() throws IOException {
        JsonNode routes = EventCodec.mapper().readTree(suite.request(suite.config().url("traffic-switcher") + "/routes",
                "GET", null).body());
        for (JsonNode route : routes) {
            if (route.path("route").asText().equals("sample-app.local")) {
                return route.path("version").asText();
            }
        }
        throw new AssertionError("no route of sample-app in local: " + routes);
    }

    private String version(String base) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/version")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private void awaitPhase(String id, String phase) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(release(id).path("phase").asText()).isEqualTo(phase));
    }

    private void awaitPromoted(String id) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(release(id).path("promotedAt").isNull()).isFalse());
    }

    private JsonNode release(String id) throws IOException {
        HttpResponse<String> response = suite.send("GET", "/releases/" + id, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return EventCodec.mapper().readTree(response.body());
    }

    private long count(String id, EventType type) {
        return kafka.typesOf(id, type.topic()).stream().filter(type.type()::equals).count();
    }
}
