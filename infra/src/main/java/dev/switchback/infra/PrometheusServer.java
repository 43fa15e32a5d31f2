package dev.switchback.infra;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A real Prometheus server (Debian's {@code /usr/bin/prometheus}) for the suite and tests, on a free loopback port
 * with its own configuration and storage: it scrapes every second the targets listed in a file_sd file it rereads,
 * each with the labels a cluster's service discovery would give it (service, environment, release).
 */
public final class PrometheusServer implements AutoCloseable {

    /** BINARY: where Debian's package puts the server; {@code .ci/run} installs it. */
    public static final Path BINARY = Path.of("/usr/bin/prometheus");

    /** One scrape target: its {@code host:port} and the labels its series get. */
    public record Target(String address, Map<String, String> labels) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path targets;
    private final List<Target> listed = new CopyOnWriteArrayList<>();

    private PrometheusServer(Process process, int port, Path targets) {
        this.process = process;
        this.port = port;
        this.targets = targets;
    }

    /** Whether the server is installed here. */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** The file_sd file it rereads: {@link #scrape} writes it, or another process keeps it (the deployer). */
    public Path targetsFile() {
        return targets;
    }

    /** Starts a server keeping its files under {@code dir} and waits until it is ready. */
    public static PrometheusServer start(Path dir) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's prometheus package (.ci/run does)");
        }
        try {
            Files.createDirectories(dir);
            Path targets = dir.resolve("targets.json").toAbsolutePath();
            Files.writeString(targets, "[]");
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
                    scrape_configs:
                      - job_name: switchback-test
                        file_sd_configs: [{files: ['%s'], refresh_interval: 1s}]
                    """.formatted(targets));
            int port = Ports.free();
            Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            PrometheusServer server = new PrometheusServer(process, port, targets);
            server.awaitReady(Duration.ofSeconds(30));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The base address of its HTTP API. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Adds a target to scrape; the file is replaced whole, so the server never reads half of it. */
    public synchronized void scrape(Target target) {
        listed.add(target);
        String json = listed.stream().map(t -> "{\"targets\":[\"" + t.address() + "\"],\"labels\":{"
                + t.labels().entrySet().stream().map(l -> "\"" + l.getKey() + "\":\"" + l.getValue() + "\"")
                .collect(Collectors.joining(",")) + "}}").collect(Collectors.joining(",", "[", "]"));
        try {
            Path next = targets.resolveSibling("targets.json.next");
            Files.writeString(next, json);
            Files.move(next, targets, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the query has a non-empty answer: the server applies new targets on a 5 s tick of its own, so a
     * target is not scraped at once.
     */
    public void awaitSeries(String promql, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!query(promql).contains("\"result\":[]")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no series for " + promql + " within " + timeout);
    }

    /** The raw JSON answer of an instant query. */
    public String query(String promql) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue());
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("prometheus not ready within " + timeout);
    }

    /** Stops the server (SIGTERM, then SIGKILL after a grace). */
    @Override
    public void close() {
        Processes.stop(process.toHandle(), Duration.ofSeconds(5));
    }
}
