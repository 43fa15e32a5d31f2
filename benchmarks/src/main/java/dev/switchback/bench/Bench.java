package dev.switchback.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.EventCodec;
import dev.switchback.infra.Ports;
import dev.switchback.infra.suite.Suite;
import dev.switchback.infra.suite.SuiteConfig;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running suite a benchmark measures, with what every benchmark needs: the event log, registering a service,
 * shipping a release, waiting for its end. The suite is the packaged one, started as processes on free ports
 * under {@code benchmarks/target/suite} (or {@code -Dbench.home}), so a benchmark never meets another suite's ports or state.
 */
public final class Bench implements AutoCloseable {

    /** TERMINAL: the events after which a release holds nothing any more. */
    public static final String[] TERMINAL = {"release.promoted", "release.failed", "release.rolled-back",
        "release.cancelled", "release.rejected"};

    private final Path root;
    private final Suite suite;
    private final EventLog events;

    private Bench(Path root, Suite suite) {
        this.root = root;
        this.suite = suite;
        this.events = new EventLog(suite.config().kafkaBootstrap());
    }

    /** Starts the suite (Kafka, PostgreSQL, the four services; no sample-app) and the event log. */
    public static Bench start(Path root) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String service : List.of(SuiteConfig.RELEASE_API, "db-migrator", "deployer", "traffic-switcher")) {
            ports.put(service, Ports.free());
        }
        // -Dbench.home moves it, so the smoke test and a measuring run never clean each other's suite away.
        Path home = Path.of(System.getProperty("bench.home", root.resolve("benchmarks/target/suite").toString()));
        SuiteConfig config = new SuiteConfig(root, home, Ports.free(), Ports.free(),
                Ports.free(), ports, Ports.free(), false);
        Suite.clean(config.home());
        return new Bench(root, Suite.start(config));
    }

    public Path root() {
        return root;
    }

    public Suite suite() {
        return suite;
    }

    public EventLog events() {
        return events;
    }

    public Path sampleJar() {
        Path jar = root.resolve("sample-app/target/sample-app.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first");
        }
        return jar;
    }

    /** The pid of one of the suite's services, from the pid file the suite wrote. */
    public long pid(String service) {
        try {
            return Long.parseLong(Files.readString(suite.config().home().resolve(service + ".pid")).trim());
        } catch (IOException e) {
            throw new IllegalStateException("no pid file for " + service, e);
        }
    }

    /** The pids of the four services, the Kafka broker and PostgreSQL's postmaster, by name; those not found are left out. */
    public Map<String, Long> suitePids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String service : suite.config().servicePorts().keySet()) {
            pids.put(service, pid(service));
        }
        ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("kafka.Kafka")).orElse(false))
                .findFirst().ifPresent(kafka -> pids.put("kafka", kafka.pid()));
        try {
            Path postmaster = suite.config().home().resolve("postgres/postmaster.pid");
            if (Files.exists(postmaster)) {
                pids.put("postgresql (postmaster)", Long.parseLong(Files.readAllLines(postmaster).get(0).trim()));
            }
        } catch (IOException | RuntimeException e) {
            // not found: left out
        }
        return pids;
    }

    /** Registers (or replaces) a service's spec in an environment. */
    public void register(String service, String environment, String spec) {
        HttpResponse<String> answer = suite.send("PUT", "/services/" + service + "/environments/" + environment, spec);
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException("registering " + service + " failed: " + answer.statusCode() + " " + answer.body());
        }
    }

    /** Asks for a release and returns its id; fails unless release-api accepted it. */
    public String release(String service, String environment, String version) {
        HttpResponse<String> answer = suite.send("POST", "/releases", """
                {"service": "%s", "environment": "%s", "version": "%s"}""".formatted(service, environment, version));
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("releasing " + service + " " + version + " failed: " + answer.statusCode()
                    + " " + answer.body());
        }
        return json(answer.body()).get("id").asText();
    }

    /** Posts to one of a release's actions ({@code rollback}, {@code promote}); fails unless accepted. */
    public void act(String releaseId, String action) {
        HttpResponse<String> answer = suite.send("POST", "/releases/" + releaseId + "/" + action, null);
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException(action + " of " + releaseId + " failed: " + answer.statusCode() + " " + answer.body());
        }
    }

    /** Posts to a release's action; a 409 (the release moved on meanwhile, e.g. promoted already) is no failure. */
    public void actIfStill(String releaseId, String action) {
        HttpResponse<String> answer = suite.send("POST", "/releases/" + releaseId + "/" + action, null);
        if (answer.statusCode() / 100 != 2 && answer.statusCode() != 409) {
            throw new IllegalStateException(action + " of " + releaseId + " failed: " + answer.statusCode() + " " + answer.body());
        }
    }

    /** Waits until the release holds nothing any more and returns the event that ended it. */
    public EventLog.Seen awaitEnd(String releaseId, Duration timeout) {
        return events.await(releaseId, timeout, TERMINAL);
    }

    public static JsonNode json(String body) {
        try {
            return EventCodec.mapper().readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    public static double millis(java.time.Instant from, java.time.Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    /** Sleeps, for pauses between phases of a benchmark. */
    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        events.close();
        suite.close();
    }
}
