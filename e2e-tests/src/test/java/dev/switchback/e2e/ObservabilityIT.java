package dev.switchback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.EventCodec;
import dev.switchback.infra.suite.Suite;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * What operators watch, on the packaged suite: after real releases (sample-app 1.0.0, then 1.1.0 rolled back during
 * its bake) every metric the Grafana dashboard queries is on some service's {@code /q/metrics}, the DORA figures match
 * the releases' histories, each service's OpenAPI document lists its endpoints, and readiness goes DOWN, naming the
 * check, while PostgreSQL or Kafka is away, and UP again once it is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final java.util.regex.Pattern METRIC = java.util.regex.Pattern.compile("\\bswitchback_[a-z0-9_]+");
    /** ENDPOINTS: paths each service's OpenAPI document must list. */
    private static final Map<String, List<String>> ENDPOINTS = Map.of(
            "release-api", List.of("/releases", "/releases/{id}", "/metrics/dora", "/services/{service}/environments/{environment}"),
            "db-migrator", List.of("/databases/stamp", "/audit", "/audit/verify"),
            "deployer", List.of("/instances", "/instances/{id}/retire", "/audit"),
            "traffic-switcher", List.of("/routes"));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Suite suite;
    private String router;
    private String rolledBack;

    @BeforeAll
    void startSuiteAndShipTwoReleases() throws Exception {
        suite = Suites.start("observability-suite");
        router = "http://127.0.0.1:" + suite.config().routerPort();
        awaitPhaseOrPromoted(suite.sampleReleaseId(), "promoted");
        rolledBack = json(suite.send("POST", "/releases",
                "{\"service\":\"sample-app\",\"environment\":\"local\",\"version\":\"1.1.0\"}").body()).path("id").asText();
        awaitPhaseOrPromoted(rolledBack, "LIVE");
        for (int i = 0; i < 20; i++) {
            assertThat(get(router + "/version").statusCode()).isEqualTo(200);
        }
        // An analysis interval of its bake ends (every second) before it is rolled back.
        String switcher = suite.config().url("traffic-switcher") + "/q/metrics";
        await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(200))
                .until(() -> value(get(switcher).body(), "switchback_analysis_verdicts_total", "") > 0);
        assertThat(suite.send("POST", "/releases/" + rolledBack + "/rollback", null).statusCode()).isEqualTo(202);
        awaitPhaseOrPromoted(rolledBack, "ROLLED_BACK");
    }

    @AfterAll
    void stopSuite() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    @Order(1)
    void shouldExposeEveryMetricTheGrafanaDashboardQueries() throws Exception {
        Path dashboard = suite.config().projectRoot().resolve("deploy/grafana/switchback.json");
        Set<String> queried = new TreeSet<>();
        for (JsonNode target : EventCodec.mapper().readTree(Files.readString(dashboard)).findValues("expr")) {
            Matcher names = METRIC.matcher(target.asText());
            while (names.find()) {
                queried.add(names.group());
            }
        }
        assertThat(queried).as("the dashboard's metric names").hasSizeGreaterThan(15);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String all = String.join("\n", metrics().values());
            List<String> missing = queried.stream().filter(name -> !exposes(all, name)).toList();
            assertThat(missing).as("metrics the dashboard queries that no service exposes").isEmpty();
            // The gauge of phases is refreshed every 10 s.
            assertThat(value(all, "switchback_releases", "phase=\"ROLLED_BACK\"")).isGreaterThanOrEqualTo(1);
        });
        Map<String, String> byService = metrics();
        assertThat(value(byService.get("release-api"), "switchback_rollbacks_total", "cause=\"requested\"")).isEqualTo(1);
        assertThat(value(byService.get("release-api"), "switchback_releases_ended_total", "outcome=\"promoted\"")).isEqualTo(1);
        assertThat(value(byService.get("release-api"), "switchback_releases_ended_total", "outcome=\"rolled_back\"")).isEqualTo(1);
        assertThat(value(byService.get("db-migrator"), "switchback_migration_duration_seconds_count", "")).isEqualTo(2);
        assertThat(value(byService.get("traffic-switcher"), "switchback_rollback_switch_seconds_count", "")).isEqualTo(1);
        assertThat(value(byService.get("traffic-switcher"), "switchback_cutover_switch_seconds_count", "outcome=\"done\"")).isEqualTo(2);
        assertThat(value(byService.get("traffic-switcher"), "switchback_router_requests_total", "color=\"green\""))
                .as("1.1.0 answered the requests sent while it was live").isGreaterThanOrEqualTo(20);
        assertThat(value(byService.get("traffic-switcher"), "switchback_analysis_verdicts_total", "")).isGreaterThan(0);
        for (String service : Suites.SERVICES) {
            assertThat(value(byService.get(service), "switchback_outbox_backlog", "")).as(service).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    @Order(2)
    void shouldMeasureDoraFromTheReleasesJustMade() throws Exception {
        JsonNode figures = json(suite.send("GET", "/metrics/dora?service=sample-app&environment=local&window=PT1H", null)
                .body()).path("figures").get(0);
        JsonNode history = json(suite.send("GET", "/releases/" + rolledBack, null).body()).path("steps");
        Instant signal = null;
        Instant restored = null;
        for (JsonNode step : history) {
            if (signal == null && step.path("phase").asText().equals("ROLLING_BACK")) {
                signal = Instant.parse(step.path("at").asText());
            }
            if (step.path("event").asText().equals("dev.switchback.traffic.rollback-completed")) {
                restored = Instant.parse(step.path("at").asText());
            }
        }
        assertThat(figures.path("deploymentFrequency").path("deployments").asInt()).isEqualTo(2);
        assertThat(figures.path("changeFailureRate").path("rate").asDouble()).isEqualTo(0.5);
        assertThat(figures.path("counts").path("rolledBack").asInt()).isEqualTo(1);
        assertThat(figures.path("timeToRestore").path("medianSeconds").asDouble())
                .isCloseTo(Duration.between(signal, restored).toMillis() / 1000.0, within(0.002));
    }

    @Test
    @Order(3)
    void shouldListEachServicesEndpointsInItsOpenApiDocumentAndServeSwaggerUi() throws Exception {
        for (Map.Entry<String, List<String>> service : ENDPOINTS.entrySet()) {
            String url = suite.config().url(service.getKey());
            HttpResponse<String> document = get(url + "/q/openapi?format=json");
            assertThat(document.statusCode()).as(service.getKey()).isEqualTo(200);
            List<String> paths = new ArrayList<>();
            json(document.body()).path("paths").fieldNames().forEachRemaining(paths::add);
            assertThat(paths).as(service.getKey()).containsAll(service.getValue());
            assertThat(get(url + "/q/swagger-ui/").statusCode()).as(service.getKey() + " Swagger UI").isEqualTo(200);
        }
    }

    @Test
    @Order(4)
    void shouldGoUnreadyWhilePostgresIsAwayAndReadyOnceItIsBack() {
        CompletableFuture<Void> outage = CompletableFuture.runAsync(() -> suite.restartPostgres(OUTAGE));
        awaitEveryServiceUnready("Database connections health check");
        outage.join();
        awaitEveryServiceReady();
    }

    @Test
    @Order(5)
    void shouldGoUnreadyWhileKafkaIsAwayAndReadyOnceItIsBack() {
        CompletableFuture<Void> outage = CompletableFuture.runAsync(() -> suite.restartKafka(OUTAGE));
        awaitEveryServiceUnready("Kafka broker");
        outage.join();
        awaitEveryServiceReady();
    }

    /** Every service at once (a Kafka check takes seconds to give up): all four answer 503 naming the check. */
    private void awaitEveryServiceUnready(String check) {
        await().atMost(OUTAGE.minusSeconds(5)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            Map<String, CompletableFuture<HttpResponse<String>>> answers = new java.util.LinkedHashMap<>();
            for (String service : Suites.SERVICES) {
                answers.put(service, http.sendAsync(HttpRequest.newBuilder(URI.create(suite.config().url(service)
                        + "/q/health/ready")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (Map.Entry<String, CompletableFuture<HttpResponse<String>>> answer : answers.entrySet()) {
                HttpResponse<String> ready = answer.getValue().join();
                assertThat(ready.statusCode()).as(answer.getKey()).isEqualTo(503);
                List<String> down = new ArrayList<>();
                json(ready.body()).path("checks").forEach(c -> {
                    if (c.path("status").asText().equals("DOWN")) {
                        down.add(c.path("name").asText());
                    }
                });
                assertThat(down).as(answer.getKey() + " names what is away").contains(check);
            }
        });
    }

    private void awaitEveryServiceReady() {
        for (String service : Suites.SERVICES) {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(get(suite.config().url(service) + "/q/health/ready").statusCode()).as(service).isEqualTo(200));
        }
    }

    private Map<String, String> metrics() throws IOException, InterruptedException {
        Map<String, String> all = new java.util.LinkedHashMap<>();
        for (String service : Suites.SERVICES) {
            HttpResponse<String> metrics = get(suite.config().url(service) + "/q/metrics");
            assertThat(metrics.statusCode()).as(service).isEqualTo(200);
            all.put(service, metrics.body());
        }
        return all;
    }

    /** Whether the exposition has a sample of the metric (a line {@code name{...} value} or {@code name value}). */
    private static boolean exposes(String exposition, String name) {
        return exposition.lines().anyMatch(line -> line.startsWith(name + "{") || line.startsWith(name + " "));
    }

    /** The sum of the metric's samples whose labels contain {@code labels}. */
    private static double value(String exposition, String name, String labels) {
        return exposition.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> line.contains(labels))
                .mapToDouble(ObservabilityIT::sampleValue).sum();
    }

    /**
     * The value of one sample line, {@code name{labels} value [timestamp] [# exemplar]}: an exemplar (the trace a
     * counter was last incremented in) and a timestamp may follow the value, so the value is the first token after the
     * labels, not the last one on the line.
     */
    private static double sampleValue(String line) {
        String sample = line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line;
        int labelsEnd = sample.lastIndexOf('}');
        String rest = (labelsEnd >= 0 ? sample.substring(labelsEnd + 1) : sample.substring(sample.indexOf(' '))).trim();
        return Double.parseDouble(rest.split("\\s+")[0]);
    }

    private void awaitPhaseOrPromoted(String id, String phase) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode release = json(suite.send("GET", "/releases/" + id, null).body());
            return phase.equals("promoted") ? !release.path("promotedAt").isNull() && !release.path("promotedAt").isMissingNode()
                    : phase.equals(release.path("phase").asText());
        });
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String body) throws IOException {
        return EventCodec.mapper().readTree(body);
    }
}
