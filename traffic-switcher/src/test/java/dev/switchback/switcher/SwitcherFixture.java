package dev.switchback.switcher;

import dev.switchback.infra.test.HttpBackend;
import dev.switchback.events.AnalysisSpec;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.GreenReady;
import dev.switchback.events.HealthSpec;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.RolloutSpec;
import dev.switchback.events.RouterSpec;
import dev.switchback.events.RuntimeSpec;
import dev.switchback.infra.Ports;
import dev.switchback.infra.test.Callers;
import dev.switchback.infra.test.KafkaEvents;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the switcher's Quarkus tests share: the Kafka watcher, a fresh service and router port per test, real
 * backends stopped after each test, release specs, and requests through the router.
 */
abstract class SwitcherFixture {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration CUTOVER_TIMEOUT = Duration.ofSeconds(30);
    static KafkaEvents kafka;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final List<HttpBackend> backends = new ArrayList<>();
    String service;
    int routerPort;
    /** The router the test's releases are cut over through. */
    String driver = "embedded";

    @BeforeEach
    void setUp() {
        Callers.actAs("ci", "admin");
        if (kafka == null) {
            kafka = new KafkaEvents(bootstrapServers);
        }
        service = "app-" + UUID.randomUUID().toString().substring(0, 8);
        routerPort = Ports.free();
    }

    @AfterEach
    void stopBackends() {
        backends.forEach(HttpBackend::close);
    }

    @AfterAll
    static void closeKafka() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    /** A real backend answering its version, with the health status the test controls; stopped after the test. */
    HttpBackend start(String version, AtomicInteger health) throws IOException {
        HttpBackend backend = HttpBackend.start(version, health);
        backends.add(backend);
        return backend;
    }

    /** The spec of a release of the test's service through the given router on the test's port. */
    ReleaseSpec spec(String driver, RolloutSpec rollout) {
        return spec(new RouterSpec(driver, routerPort), rollout);
    }

    /** The spec of a release of the test's service through the given route settings. */
    ReleaseSpec spec(RouterSpec router, RolloutSpec rollout) {
        return new ReleaseSpec("app.jar", new RuntimeSpec("process", List.of("java", "-jar", "{artifact}"), Map.of()),
                router, new HealthSpec("/health", 10), null, List.of(), "expand", false, rollout);
    }

    /** A blue-green rollout: a bake of {@code seconds} judged on {@code analysis}. */
    static RolloutSpec bake(int seconds, AnalysisSpec analysis) {
        return new RolloutSpec(RolloutSpec.BLUE_GREEN, List.of(), seconds, analysis);
    }

    /** Green of the test's service is ready at the backend, through {@link #driver}; returns once it is cut over. */
    ReleaseRef cutOver(String version, HttpBackend backend, RolloutSpec rollout) {
        ReleaseRef release = greenReady(version, backend, rollout);
        kafka.await(CutoverCompleted.class, release.id(), CUTOVER_TIMEOUT);
        return release;
    }

    /** Publishes green of the test's service ready at the backend, as the deployer would. */
    ReleaseRef greenReady(String version, HttpBackend backend, RolloutSpec rollout) {
        ReleaseRef release = new ReleaseRef(UUID.randomUUID().toString(), service, "test", version);
        kafka.publish("/switchback/deployer", new GreenReady(release, spec(driver, rollout), service + "-" + version,
                backend.endpoint()));
        return release;
    }

    /** A healthy backend answering its version; stopped after the test. */
    HttpBackend backend(String version) throws IOException {
        return start(version, new AtomicInteger(200));
    }

    /** A GET through the router, which must answer 200; returns the body. */
    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + routerPort + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
