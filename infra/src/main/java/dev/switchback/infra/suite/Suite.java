package dev.switchback.infra.suite;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.EventCodec;
import dev.switchback.events.Topics;
import dev.switchback.infra.Ports;
import dev.switchback.infra.Postgres;
import dev.switchback.infra.ProcessKafkaBroker;
import dev.switchback.infra.PrometheusServer;
import dev.switchback.infra.Processes;
import dev.switchback.infra.auth.Tokens;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the whole suite: PostgreSQL, a Kafka broker, the four services as processes and, optionally, sample-app
 * 1.0.0 live behind its router. {@code ./suite up} and the end-to-end test both run it, so what the test proves is
 * what a user gets.
 */
public final class Suite implements AutoCloseable {

    /**
     * The sample-app spec the suite registers; {@code {artifact}} is the jar, the version comes as SERVICE_VERSION. Its
     * bake is short (10 s) and probed, so the demo shows analysis and promotion without waiting minutes.
     */
    static final String SAMPLE_SPEC = """
            {"artifact": "%s",
             "runtime": {"driver": "process",
                         "command": ["java", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-jar", "{artifact}"],
                         "env": {"DB_URL": "%s", "DB_USER": "postgres"}},
             "router": {"driver": "embedded", "port": %d},
             "health": {"path": "/health", "deadlineSeconds": 30, "smokePaths": ["/notes"]},
             "database": {"url": "%s", "username": "postgres"},
             "rollout": {"strategy": "blue-green", "bakeSeconds": 10,
                         "analysis": {"intervalMillis": 1000, "maxErrorRate": 0.05, "maxP99Millis": 500,
                                      "minRequests": 5, "probe": {"path": "/version", "perSecond": 10}}}}
            """;
    /** The first release of sample-app: its schema comes with it, before its code. */
    static final String SAMPLE_FIRST_RELEASE = """
            {"service": "sample-app", "environment": "local", "version": "1.0.0",
             "migrations": [{"version": "1", "description": "create notes",
                             "sql": "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)"}]}
            """;

    /** JVM_OPTIONS: the services' JVM settings; the system property switchback.suite.jvm replaces them (benchmarks compare). */
    public static final String JVM_OPTIONS = "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    private final SuiteConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Process> services = new LinkedHashMap<>();
    /** tokens: read from its key files once, not on every request. */
    private Tokens tokens;
    private Postgres postgres;
    private ProcessKafkaBroker kafka;
    private PrometheusServer prometheus;
    private String sampleReleaseId;

    private Suite(SuiteConfig config) {
        this.config = config;
    }

    /** Starts everything and waits until every part is healthy; on failure stops what it started. */
    public static Suite start(SuiteConfig config) {
        Suite suite = new Suite(config);
        try {
            suite.startAll();
            return suite;
        } catch (RuntimeException e) {
            suite.close();
            throw e;
        }
    }

    public SuiteConfig config() {
        return config;
    }

    /** The id of the release that put sample-app 1.0.0 live; null when the suite did not ship it. */
    public String sampleReleaseId() {
        return sampleReleaseId;
    }

    /** The suite's Prometheus, for tests that list scrape targets of their own; null when it is not installed. */
    public PrometheusServer prometheus() {
        return prometheus;
    }

    /** The suite's PostgreSQL, for tests that look into a database. */
    public Postgres postgres() {
        return postgres;
    }

    private void startAll() {
        try {
            Files.createDirectories(config.logs());
            Files.createDirectories(config.instances());
            log("starting PostgreSQL on " + config.postgresPort());
            postgres = Postgres.start(config.home().resolve("postgres"), config.postgresPort());
            for (String database : SuiteConfig.DATABASES) {
                postgres.createDatabase(database);
            }
            log("starting Kafka on " + config.kafkaPort());
            kafka = ProcessKafkaBroker.start(config.home().resolve("kafka"), config.kafkaPort(),
                    config.controllerPort(), System.getProperty("java.class.path"), config.logs().resolve("kafka.log"));
            kafka.createTopics(Topics.ALL);
            if (PrometheusServer.installed()) {
                // Scrapes every instance the deployer runs, for releases whose analysis reads Prometheus.
                prometheus = PrometheusServer.start(config.home().resolve("prometheus"));
                Files.writeString(config.home().resolve("prometheus.url"), prometheus.url().toString());
                log("Prometheus on " + prometheus.url());
            }
            for (Map.Entry<String, Integer> service : config.servicePorts().entrySet()) {
                services.put(service.getKey(), startService(service.getKey(), service.getValue()));
            }
            for (Map.Entry<String, Process> service : services.entrySet()) {
                awaitHealthy(service.getKey(), service.getValue());
            }
            if (config.bootstrapSample()) {
                bootstrapSample();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Process startService(String name, int port) throws IOException {
        Path jar = config.projectRoot().resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (mvn -DskipTests install)");
        }
        String database = name.replace('-', '_');
        List<String> command = new ArrayList<>(List.of(javaBin()));
        command.addAll(List.of(System.getProperty("switchback.suite.jvm", JVM_OPTIONS).trim().split("\\s+")));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(config.projectRoot().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(config.logs().resolve(name + ".log").toFile()));
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("KAFKA_BOOTSTRAP_SERVERS", config.kafkaBootstrap());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", config.jdbcUrl(database));
        env.put("QUARKUS_DATASOURCE_USERNAME", Postgres.USER);
        env.put("QUARKUS_DATASOURCE_PASSWORD", "");
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", tokens().publicKey().toAbsolutePath().toString());
        env.put("SWITCHBACK_DEPLOYER_WORK_DIR", config.instances().toAbsolutePath().toString());
        // Each suite's switcher runs its own nginx (for services routed through nginx) under the suite's home.
        env.put("SWITCHBACK_ROUTER_NGINX_WORK_DIR", config.home().resolve("nginx").toAbsolutePath().toString());
        // The dashboard reads instances and analysis intervals through release-api from the suite's own ports.
        env.put("SWITCHBACK_DASHBOARD_DEPLOYER_URL", config.url("deployer"));
        env.put("SWITCHBACK_DASHBOARD_SWITCHER_URL", config.url("traffic-switcher"));
        if (prometheus != null) {
            env.put("SWITCHBACK_DEPLOYER_SCRAPE_TARGETS_FILE", prometheus.targetsFile().toString());
            env.put("SWITCHBACK_SWITCHER_PROMETHEUS_URL", prometheus.url().toString());
        }
        log("starting " + name + " on " + port);
        Process process = builder.start();
        Files.writeString(config.home().resolve(name + ".pid"), Long.toString(process.pid()));
        return process;
    }

    private void awaitHealthy(String name, Process process) throws InterruptedException {
        String url = config.url(name) + "/q/health/ready";
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (true) {
            if (!process.isAlive()) {
                Path log = config.logs().resolve(name + ".log");
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ", see " + log
                        + "; its last lines:\n" + tail(log, 40));
            }
            if (status(url) == 200) {
                log(name + " is ready");
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready within 180 s, see " + config.logs().resolve(name + ".log"));
            }
            Thread.sleep(250);
        }
    }

    /** The log's last lines, so a service that died while the suite started says why where only the error is kept. */
    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private void bootstrapSample() throws InterruptedException {
        Path jar = config.projectRoot().resolve("sample-app/target/sample-app.jar").toAbsolutePath();
        String db = config.jdbcUrl("sample_app");
        String spec = SAMPLE_SPEC.formatted(jar, db, config.routerPort(), db);
        HttpResponse<String> registered = send("PUT", "/services/sample-app/environments/local", spec);
        if (registered.statusCode() / 100 != 2) {
            throw new IllegalStateException("registering sample-app failed: " + registered.statusCode() + " " + registered.body());
        }
        // The fence refuses an unstamped database: stamp sample-app's as its local one, as an operator would.
        HttpResponse<String> stamped = request(config.url("db-migrator") + "/databases/stamp", "POST",
                "{\"service\": \"sample-app\", \"environment\": \"local\", \"url\": \"" + db
                        + "\", \"username\": \"postgres\"}");
        if (stamped.statusCode() != 200) {
            throw new IllegalStateException("stamping sample-app's database failed: " + stamped.statusCode() + " " + stamped.body());
        }
        HttpResponse<String> released = send("POST", "/releases", SAMPLE_FIRST_RELEASE);
        if (released.statusCode() != 202) {
            throw new IllegalStateException("releasing sample-app 1.0.0 failed: " + released.statusCode() + " " + released.body());
        }
        String id = json(released.body()).get("id").asText();
        sampleReleaseId = id;
        log("sample-app 1.0.0 is release " + id);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode release = json(send("GET", "/releases/" + id, null).body());
            String phase = release.path("phase").asText();
            if (phase.equals("LIVE")) {
                log("sample-app 1.0.0 is live on port " + config.routerPort());
                return;
            }
            if (List.of("FAILED", "ROLLED_BACK", "CANCELLED").contains(phase)) {
                throw new IllegalStateException("sample-app 1.0.0 ended " + phase + ": " + release);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("sample-app 1.0.0 did not go live within 120 s");
    }

    /**
     * The suite's token issuer: its key pair is made under the suite's home on first use and kept across runs, so
     * tokens printed by {@code ./suite token} stay good until they expire.
     */
    public synchronized Tokens tokens() {
        if (tokens == null) {
            tokens = Tokens.in(config.home().resolve("keys"));
        }
        return tokens;
    }

    /** Sends a JSON request to release-api as the suite's administrator. */
    public HttpResponse<String> send(String method, String path, String body) {
        return request(config.url(SuiteConfig.RELEASE_API) + path, method, body);
    }

    /** Sends a JSON request to release-api with a token of one's own. */
    public HttpResponse<String> send(String method, String path, String body, String token) {
        return request(config.url(SuiteConfig.RELEASE_API) + path, method, body, token);
    }

    /** Sends a JSON request to any of the suite's services as the suite's administrator. */
    public HttpResponse<String> request(String url, String method, String body) {
        return request(url, method, body, tokens().token("suite-admin", "admin"));
    }

    private HttpResponse<String> request(String url, String method, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static JsonNode json(String body) {
        try {
            return EventCodec.mapper().readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    /** What runs where, for people. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-18s %-28s %s%n", "PART", "ADDRESS", "LOG"));
        out.append(String.format("%-18s %-28s %s%n", "postgresql", "127.0.0.1:" + config.postgresPort(), "(embedded)"));
        out.append(String.format("%-18s %-28s %s%n", "kafka", config.kafkaBootstrap(), config.logs().resolve("kafka.log")));
        for (String name : config.servicePorts().keySet()) {
            out.append(String.format("%-18s %-28s %s%n", name, config.url(name), config.logs().resolve(name + ".log")));
        }
        if (config.bootstrapSample()) {
            out.append(String.format("%-18s %-28s %s%n", "sample-app router", "http://127.0.0.1:" + config.routerPort(),
                    config.instances()));
        }
        return out.toString();
    }

    /** Kills a service as a crash would (SIGKILL): no shutdown hook runs, nothing is flushed or closed. */
    public void kill(String name) {
        Process process = services.get(name);
        if (process == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        process.destroyForcibly();
        try {
            process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a service again (after {@link #kill}) on its port and waits until it is ready. */
    public void restart(String name) {
        try {
            Process process = startService(name, config.servicePorts().get(name));
            services.put(name, process);
            awaitHealthy(name, process);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the Kafka broker (gracefully, as a rolling restart would), then starts it again on its data. */
    public void restartKafka(Duration down) {
        kafka.close();
        pause(down);
        kafka = ProcessKafkaBroker.start(config.home().resolve("kafka"), config.kafkaPort(), config.controllerPort(),
                System.getProperty("java.class.path"), config.logs().resolve("kafka.log"));
    }

    /** Stops PostgreSQL, then starts it again on its data directory and port. */
    public void restartPostgres(Duration down) {
        postgres.close();
        pause(down);
        postgres = Postgres.start(config.home().resolve("postgres"), config.postgresPort());
    }

    private static void pause(Duration down) {
        try {
            Thread.sleep(down.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the services, every instance the deployer started, Kafka and PostgreSQL, in that order. */
    @Override
    public void close() {
        List<ProcessHandle> running = new ArrayList<>();
        services.values().forEach(process -> running.add(process.toHandle()));
        running.parallelStream().forEach(process -> Processes.stop(process, Duration.ofSeconds(20)));
        stopInstances(config.instances());
        if (kafka != null) {
            kafka.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * Removes the state of an earlier run. Every start is clean: a release history from an earlier run would point
     * at instances that are gone.
     */
    public static void clean(Path home) {
        try {
            for (String stale : new String[] {"postgres", "kafka", "instances", "ready", "failed"}) {
                Path path = home.resolve(stale);
                if (Files.exists(path)) {
                    try (Stream<Path> walk = Files.walk(path)) {
                        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.delete(p);
                        }
                    }
                }
            }
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new IllegalStateException("cannot clean " + home, e);
        }
    }

    /** Stops every instance whose pid file the deployer left in the directory. */
    public static void stopInstances(Path instances) {
        if (!Files.isDirectory(instances)) {
            return;
        }
        try (Stream<Path> files = Files.list(instances)) {
            List<Path> pidFiles = files.filter(file -> file.toString().endsWith(".pid")).toList();
            // Every instance is told to stop first, so a hundred of them exit together rather than one after another.
            for (Path file : pidFiles) {
                try {
                    ProcessHandle.of(Long.parseLong(Files.readString(file).trim())).ifPresent(ProcessHandle::destroy);
                } catch (IOException | NumberFormatException e) {
                    // reported below, where it is stopped for good
                }
            }
            pidFiles.forEach(file -> {
                try {
                    long pid = Long.parseLong(Files.readString(file).trim());
                    ProcessHandle.of(pid).ifPresent(process -> Processes.stop(process, Duration.ofSeconds(10)));
                    Files.deleteIfExists(file);
                } catch (IOException | NumberFormatException e) {
                    log("cannot stop instance of " + file + ": " + e.getMessage());
                }
            });
        } catch (IOException e) {
            log("cannot list " + instances + ": " + e.getMessage());
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void log(String message) {
        System.out.println("[suite] " + message);
    }

}
