package dev.switchback.infra.test;

import dev.switchback.infra.Ports;
import dev.switchback.infra.Processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The packaged sample-app as a real process of its own on a free loopback port, with no database: it serves
 * {@code /version}, {@code /health} and {@code /metrics}, and its version's tag ({@code -fail}, {@code -slow},
 * {@code -unhealthy}) picks its failure mode.
 *
 * @param version its version
 * @param port    the port it listens on
 * @param process the process
 */
public record SampleAppProcess(String version, int port, Process process) implements AutoCloseable {

    /** Starts the jar as {@code version} and waits until it listens, writing its output under {@code logs}. */
    public static SampleAppProcess start(Path jar, String version, Path logs) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the sample-app module is built before the tests");
        }
        Files.createDirectories(logs);
        int port = Ports.free();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve("sample-app-" + version + "-" + port + ".log").toFile());
        builder.environment().put("SERVICE_VERSION", version);
        builder.environment().put("PORT", Integer.toString(port));
        Process process = builder.start();
        Ports.awaitListening("sample-app " + version, process, port, Duration.ofSeconds(30));
        return new SampleAppProcess(version, port, process);
    }

    /** Its base address. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Its {@code host:port}, as a scrape target. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        Processes.stop(process.toHandle(), Duration.ofSeconds(5));
    }
}
