package dev.switchback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.e2e.OtlpReceiver.ReceivedSpan;
import dev.switchback.events.EventCodec;
import dev.switchback.infra.suite.Suite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One release is one trace across the four service processes: the packaged suite runs with the OpenTelemetry SDK on,
 * exporting over OTLP/HTTP to a receiver in the test. A release is submitted with the caller's own
 * {@code traceparent} (as a CI job that traces itself would), and every span of its way, from release-api through
 * Kafka to db-migrator, the deployer and the traffic-switcher and back, arrives in that trace, each with its parent
 * in it. A release submitted without one is a trace of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracingIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final HexFormat HEX = HexFormat.of();
    /** CONSUMED: the topic each service must be seen continuing the trace from, by its {@code <topic> process} span. */
    private static final Map<String, String> CONSUMED = Map.of(
            "db-migrator", "switchback.releases process",
            "deployer", "switchback.migrations process",
            "traffic-switcher", "switchback.deployments process",
            "release-api", "switchback.traffic process");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private OtlpReceiver receiver;
    private Suite suite;

    @BeforeAll
    void startSuiteExportingToTheReceiver() throws IOException {
        receiver = OtlpReceiver.start();
        suite = Suites.start("tracing-suite", true, List.of(
                "-Dquarkus.otel.sdk.disabled=false",
                "-Dquarkus.otel.traces.sampler=always_on",
                "-Dquarkus.otel.exporter.otlp.traces.protocol=http/protobuf",
                "-Dquarkus.otel.exporter.otlp.traces.endpoint=" + receiver.endpoint(),
                "-Dquarkus.otel.bsp.schedule.delay=PT0.2S"));
    }

    @AfterAll
    void stop() {
        if (suite != null) {
            suite.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void shouldMakeOneReleaseOneTraceAcrossTheFourServicesFromTheCallersTraceparent() throws Exception {
        awaitPromoted(suite.sampleReleaseId());
        String traceId = HEX.formatHex(new SecureRandom().generateSeed(16));
        String callerSpan = HEX.formatHex(new SecureRandom().generateSeed(8));

        String id = submit("1.1.0", "00-" + traceId + "-" + callerSpan + "-01");
        awaitPromoted(id);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<ReceivedSpan> trace = receiver.trace(traceId);
            assertThat(services(trace)).as("services with spans in the release's trace")
                    .containsExactlyInAnyOrderElementsOf(Suites.SERVICES);
            CONSUMED.forEach((service, span) -> assertThat(trace).as(service + " continues the trace from Kafka")
                    .anyMatch(one -> one.service().equals(service) && one.name().equals(span)
                            && one.kind().equals("SPAN_KIND_CONSUMER")));
            assertThat(trace).as("the relays publish the release's events in it")
                    .anyMatch(one -> one.name().equals("switchback.releases publish") && one.kind().equals("SPAN_KIND_PRODUCER"));
            assertThat(trace).as("release-api's span of the request is the caller's child")
                    .anyMatch(one -> one.service().equals("release-api") && one.kind().equals("SPAN_KIND_SERVER")
                            && one.parentSpanId().equals(callerSpan));
            Set<String> known = trace.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
            known.add(callerSpan);
            assertThat(trace).as("spans whose parent is not in the trace").allMatch(one -> known.contains(one.parentSpanId()));
        });
    }

    @Test
    void shouldGiveAReleaseSubmittedWithoutATraceparentATraceOfItsOwn() throws Exception {
        // sample-app 1.0.0 was submitted by the suite itself, with no trace context: release-api began its trace.
        awaitPromoted(suite.sampleReleaseId());

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<ReceivedSpan> roots = receiver.spans().stream().filter(span -> span.service().equals("release-api")
                    && span.kind().equals("SPAN_KIND_SERVER") && span.name().equals("POST /releases")
                    && span.parentSpanId().isEmpty()).toList();
            assertThat(roots).as("the suite's own POST /releases, a root span").isNotEmpty();
            List<ReceivedSpan> trace = receiver.trace(roots.get(0).traceId());
            assertThat(services(trace)).containsExactlyInAnyOrderElementsOf(Suites.SERVICES);
        });
    }

    private static Set<String> services(List<ReceivedSpan> spans) {
        return spans.stream().map(ReceivedSpan::service).collect(Collectors.toSet());
    }

    private String submit(String version, String traceparent) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(suite.config().url("release-api") + "/releases"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + suite.tokens().token("ci", "releaser"))
                .header("Content-Type", "application/json")
                .header("traceparent", traceparent)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"service\":\"sample-app\",\"environment\":\"local\",\"version\":\"" + version + "\"}"))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json(response.body()).path("id").asText();
    }

    private void awaitPromoted(String id) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(300)).until(() -> {
            JsonNode release = json(suite.send("GET", "/releases/" + id, null).body());
            assertThat(release.path("phase").asText()).as(id).isIn("QUEUED", "MIGRATING", "DEPLOYING", "SWITCHING", "LIVE");
            return release.hasNonNull("promotedAt");
        });
    }

    private static JsonNode json(String body) throws IOException {
        return EventCodec.mapper().readTree(body);
    }
}
