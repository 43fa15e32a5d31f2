package dev.switchback.deployer;

import dev.switchback.events.GreenReady;
import dev.switchback.events.HealthSpec;
import dev.switchback.events.MigrationSkipped;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.RouterSpec;
import dev.switchback.events.RuntimeSpec;
import dev.switchback.infra.test.KafkaEvents;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The deployer tests' fixtures: releases of the real sample-app jar, started from migration outcomes, and calls to them. */
final class SampleApps {

    /** TIMEOUT: how long a test waits for an event or a process. */
    static final Duration TIMEOUT = Duration.ofSeconds(40);
    /** SAMPLE_JAR: the packaged sample-app, built before the deployer. */
    static final Path SAMPLE_JAR = Path.of("../sample-app/target/sample-app.jar").toAbsolutePath().normalize();
    /** INSTANCES: the deployer's work directory in tests (pid files and logs). */
    static final Path INSTANCES = Path.of("target/instances");
    /** COMMAND: how the process driver runs the sample-app. */
    static final List<String> COMMAND = List.of("java", "-jar", "{artifact}");

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SampleApps() {
    }

    /** A release's spec running {@code command} with the process driver, healthy on {@code /health} within the deadline. */
    static ReleaseSpec spec(List<String> command, int deadlineSeconds) {
        return new ReleaseSpec(SAMPLE_JAR.toString(), new RuntimeSpec("process", command, Map.of()),
                new RouterSpec("embedded", 9999), new HealthSpec("/health", deadlineSeconds), null, List.of());
    }

    /** Publishes the release's migration outcome and waits until its green is ready. */
    static GreenReady deploy(KafkaEvents kafka, ReleaseRef release) {
        kafka.publish("/switchback/db-migrator", new MigrationSkipped(release, spec(COMMAND, 30), "nothing to migrate"));
        return kafka.await(GreenReady.class, release.id(), TIMEOUT);
    }

    static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    static boolean answers(String url) {
        try {
            get(url);
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
