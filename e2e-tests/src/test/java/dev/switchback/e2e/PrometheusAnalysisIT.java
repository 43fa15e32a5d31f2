package dev.switchback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.AnalysisFailed;
import dev.switchback.events.BakeCompleted;
import dev.switchback.events.EventCodec;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.infra.Ports;
import dev.switchback.infra.suite.Suite;
import dev.switchback.infra.test.KafkaEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole suite judging releases from Prometheus: the deployer lists the instances it runs for Prometheus to
 * scrape (labelled with service, environment and release, as a cluster's discovery labels pods), the suite's
 * Prometheus scrapes sample-app's own request metrics, and the switcher reads green's series with the spec's PromQL.
 * A good release is promoted after its bake; one whose error series rise is switched back without anyone asking.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusAnalysisIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String SERVICE = "metered";
    /** Intervals of 2 s over a 1 s scrape; a bake long enough for Prometheus to discover a new instance (≤ 5 s). */
    private static final String SPEC = """
            {"artifact": "%s",
             "runtime": {"driver": "process", "command": ["java", "-Xmx32m", "-XX:TieredStopAtLevel=1", "-jar", "{artifact}"]},
             "router": {"driver": "embedded", "port": %d},
             "health": {"path": "/health", "deadlineSeconds": 30},
             "rollout": {"strategy": "blue-green", "bakeSeconds": 16,
                         "analysis": {"intervalMillis": 2000, "maxErrorRate": 0.05, "maxP99Millis": 1000, "minRequests": 5,
                                      "probe": {"path": "/version", "perSecond": 20},
                                      "metrics": {"source": "prometheus"}}}}
            """;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Suite suite;
    private KafkaEvents kafka;
    private String router;
    private String prometheus;
    private String goodId;

    @BeforeAll
    void startSuite() throws IOException {
        suite = Suites.start("prometheus", false);
        kafka = new KafkaEvents(suite.config().kafkaBootstrap());
        prometheus = Files.readString(suite.config().home().resolve("prometheus.url")).trim();
        int port = Ports.free();
        router = "http://127.0.0.1:" + port;
        String jar = suite.config().projectRoot().resolve("sample-app/target/sample-app.jar").toString();
        HttpResponse<String> registered = suite.send("PUT", "/services/" + SERVICE + "/environments/local",
                SPEC.formatted(jar, port));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
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
    void shouldPromoteAGoodReleaseOnItsPrometheusSeries() throws Exception {
        awaitPromoted(ship("1.0.0"));
        goodId = ship("1.1.0");

        awaitPromoted(goodId);

        BakeCompleted baked = kafka.await(BakeCompleted.class, goodId, TIMEOUT);
        assertThat(baked.passedIntervals()).as("intervals passed on green's Prometheus series").isGreaterThan(0);
        assertThat(baked.total().errors()).isZero();
        assertThat(get(router + "/version").body()).isEqualTo("1.1.0");
        assertThat(value("sum(http_server_requests_seconds_count{service=\"metered\",release=\"" + goodId + "\"})"))
                .as("green's requests, as Prometheus scraped them from the instance the deployer listed")
                .isGreaterThan(20);
    }

    @Test
    @Order(2)
    void shouldSwitchBackAutomaticallyWhenGreensErrorSeriesRise() throws Exception {
        String id = ship("1.2.0-fail");

        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(release(id).path("phase").asText()).isEqualTo("ROLLED_BACK"));

        AnalysisFailed failed = kafka.await(AnalysisFailed.class, id, TIMEOUT);
        assertThat(failed.measurement().verdict()).isEqualTo("fail");
        assertThat(failed.measurement().reason()).contains("error rate");
        assertThat(kafka.await(RollbackCompleted.class, id, TIMEOUT).restoredVersion()).isEqualTo("1.1.0");
        assertThat(get(router + "/version").body()).isEqualTo("1.1.0");
        assertThat(value("sum(http_server_requests_seconds_count{release=\"" + id + "\",status=\"500\"})"))
                .as("the failures analysis saw are in green's own series").isGreaterThanOrEqualTo(5);
    }

    private void awaitPromoted(String id) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(release(id).path("promotedAt").isNull()).isFalse());
    }

    private String ship(String version) throws IOException {
        HttpResponse<String> accepted = suite.send("POST", "/releases",
                "{\"service\":\"" + SERVICE + "\",\"environment\":\"local\",\"version\":\"" + version + "\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return EventCodec.mapper().readTree(accepted.body()).get("id").asText();
    }

    private JsonNode release(String id) throws IOException {
        HttpResponse<String> response = suite.send("GET", "/releases/" + id, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return EventCodec.mapper().readTree(response.body());
    }

    private double value(String promql) throws IOException, InterruptedException {
        JsonNode result = EventCodec.mapper().readTree(get(prometheus + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body()).path("data").path("result");
        return result.isEmpty() ? 0 : result.get(0).path("value").path(1).asDouble();
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
