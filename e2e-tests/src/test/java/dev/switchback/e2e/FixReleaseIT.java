package dev.switchback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.BlueChecked;
import dev.switchback.events.EventCodec;
import dev.switchback.events.RollbackFailed;
import dev.switchback.infra.suite.Suite;
import dev.switchback.infra.test.KafkaEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Roll forward on the packaged suite: with the live sample-app broken, an ordinary release stops at blue's check, a
 * fix release goes live past it, and a rollback to the broken blue is refused with green keeping the traffic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FixReleaseIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String FIX = "1.0.0 died and will not come back; 1.0.2 replaces it";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Suite suite;
    private KafkaEvents kafka;
    private String router;

    @BeforeAll
    void startSuite() {
        suite = Suites.start("fix-suite");
        kafka = new KafkaEvents(suite.config().kafkaBootstrap());
        router = "http://127.0.0.1:" + suite.config().routerPort();
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
    void shouldFailAnOrdinaryReleaseAtABrokenBlueAndShipAFixReleasePastIt() throws Exception {
        String spec = suite.send("GET", "/services/sample-app/environments/local", null).body();
        assertThat(suite.send("PUT", "/services/sample-app/environments/local",
                spec.replace("\"bakeSeconds\":10", "\"bakeSeconds\":120")).statusCode()).isEqualTo(200);
        breakBlue();

        String ordinary = ship("{\"service\":\"sample-app\",\"environment\":\"local\",\"version\":\"1.0.1\"}");
        awaitPhase(ordinary, "FAILED");
        assertThat(release(ordinary).path("reason").asText()).contains("blue");
        assertThat(kafka.await(BlueChecked.class, ordinary, TIMEOUT).gateSkippedOrFalse()).isFalse();

        String fix = ship("{\"service\":\"sample-app\",\"environment\":\"local\",\"version\":\"1.0.2\",\"fix\":\"" + FIX + "\"}");
        awaitPhase(fix, "LIVE");
        BlueChecked skipped = kafka.await(BlueChecked.class, fix, TIMEOUT);
        assertThat(skipped.healthy()).isFalse();
        assertThat(skipped.gateSkippedOrFalse()).isTrue();
        assertThat(get(router + "/version")).isEqualTo("1.0.2");
        JsonNode view = release(fix);
        assertThat(view.path("fix").asText()).isEqualTo(FIX);
        assertThat(view.path("steps").toString()).contains("blue gate skipped for a fix release (" + FIX + ")");

        // Back to a blue that is broken: refused, as for any release; green keeps the traffic.
        assertThat(suite.send("POST", "/releases/" + fix + "/rollback", null).statusCode()).isEqualTo(202);
        assertThat(kafka.await(RollbackFailed.class, fix, TIMEOUT).reason()).contains("not healthy");
        awaitPhase(fix, "LIVE");
        assertThat(get(router + "/version")).isEqualTo("1.0.2");
    }

    /** Blue's process dies for good: nothing restarts an instance until the deployer itself recovers. */
    private void breakBlue() throws IOException, InterruptedException {
        String id = "sample-app-local-" + suite.sampleReleaseId().substring(0, 8);
        long pid = Long.parseLong(Files.readString(suite.config().instances().resolve(id + ".pid")).trim());
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroyForcibly();
        process.onExit().join();
    }

    private String ship(String body) throws IOException {
        HttpResponse<String> accepted = suite.send("POST", "/releases", body);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return EventCodec.mapper().readTree(accepted.body()).get("id").asText();
    }

    private void awaitPhase(String id, String phase) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(release(id).path("phase").asText()).isEqualTo(phase));
    }

    private JsonNode release(String id) throws IOException {
        HttpResponse<String> response = suite.send("GET", "/releases/" + id, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return EventCodec.mapper().readTree(response.body());
    }

    private String get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
