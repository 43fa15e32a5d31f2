package dev.switchback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.CloudEvent;
import dev.switchback.events.EventCodec;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.events.Topics;
import dev.switchback.infra.suite.Suite;
import dev.switchback.infra.suite.SuiteConfig;
import dev.switchback.infra.test.KafkaEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crashes under release: each service killed with SIGKILL at a random point of a release and started again, the
 * Kafka broker and PostgreSQL restarted mid-release, a burst of releases for one service. Every release must end,
 * no migration may run twice, no instance may be left running unaccounted for, and the router must keep answering.
 * {@code -Dswitchback.chaos.trials=N} sets the number of kill trials (8 in the ordinary build).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {

    private static final Duration TERMINAL = Duration.ofSeconds(180);
    private static final int TRIALS = Integer.getInteger("switchback.chaos.trials", 8);
    private static final long SEED = Long.getLong("switchback.chaos.seed", 20261127L);

    private Suite suite;
    private KafkaEvents kafka;
    private Prober prober;
    private final List<long[]> routerDown = new ArrayList<>();

    @BeforeAll
    void startSuite() throws IOException {
        suite = Suites.start("chaos");
        SuiteConfig config = suite.config();
        kafka = new KafkaEvents(config.kafkaBootstrap());
        // No bake: a release is promoted at cutover, so trials follow each other quickly.
        String spec = suite.send("GET", "/services/sample-app/environments/local", null).body();
        assertThat(suite.send("PUT", "/services/sample-app/environments/local",
                spec.replace("\"bakeSeconds\":10", "\"bakeSeconds\":0")).statusCode()).isEqualTo(200);
        prober = new Prober("http://127.0.0.1:" + config.routerPort() + "/version").onTimeout(new RouterLook(suite));
        prober.start();
    }

    @AfterAll
    void stopSuite() {
        if (prober != null) {
            prober.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    @Order(1)
    void shouldEndEveryReleaseAndRepeatNoEffectWhenServicesAreKilledMidRelease() throws Exception {
        Random random = new Random(SEED);
        Map<String, Map<String, Integer>> outcomes = new TreeMap<>();
        List<String> stuck = new ArrayList<>();
        StringBuilder report = new StringBuilder("| trial | killed | after ms | phase when killed | outcome |\n|---|---|---|---|---|\n");
        for (int trial = 0; trial < TRIALS; trial++) {
            String victim = Suites.SERVICES.get(trial % Suites.SERVICES.size());
            int delay = random.nextInt(1500);
            String id = ship("2." + trial + ".0", List.of("{\"version\": \"" + (100 + trial) + "\", \"description\":"
                    + " \"chaos " + trial + "\", \"sql\": \"ALTER TABLE notes ADD COLUMN chaos_" + trial + " TEXT\"}"));
            Thread.sleep(delay);
            String phaseWhenKilled = phase(id);
            long down = System.currentTimeMillis();
            suite.kill(victim);
            suite.restart(victim);
            if (victim.equals("traffic-switcher")) {
                // The embedded router lives in the switcher's process: it is down until the switcher is back.
                routerDown.add(new long[] {down, System.currentTimeMillis() + 1_000});
            }
            String outcome;
            try {
                outcome = awaitEnd(id);
            } catch (AssertionError e) {
                outcome = "STUCK " + phase(id);
                stuck.add(id);
            }
            outcomes.computeIfAbsent(victim, v -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
            report.append("| ").append(trial).append(" | ").append(victim).append(" | ").append(delay).append(" | ")
                    .append(phaseWhenKilled).append(" | ").append(outcome).append(" |\n");
        }
        report.append("\n").append(outcomes).append("\n");
        Files.writeString(suite.config().home().resolve("chaos-report.md"), report);
        System.out.println(report);

        assertThat(stuck).as("releases that never ended").isEmpty();
        assertThat(duplicateMigrations()).as("migrations applied more than once").isEmpty();
        // Eventually: an instance being stopped is dead a moment before the deployer's commit says RETIRED.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(this::assertNoOrphanInstances);
        assertThat(failuresOutside(routerDown)).as("failed requests while the router was up (down: %s)",
                routerDown.stream().map(w -> w[0] + "-" + w[1]).toList()).isEmpty();
    }

    @Test
    @Order(2)
    void shouldRunABurstOfTwentyReleasesOfOneServiceOneAtATimeInOrder() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<String>> submitted = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String version = "3." + i + ".0";
            submitted.add(clients.submit(() -> ship(version, List.of())));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> id : submitted) {
            ids.add(id.get());
        }
        clients.shutdown();
        for (String id : ids) {
            assertThat(awaitEnd(id)).isEqualTo("PROMOTED");
        }

        List<JsonNode> releases = new ArrayList<>();
        for (String id : ids) {
            releases.add(release(id));
        }
        releases.sort((a, b) -> a.path("requestedAt").asText().compareTo(b.path("requestedAt").asText()));
        for (int i = 1; i < releases.size(); i++) {
            Instant previousPromoted = Instant.parse(releases.get(i - 1).path("promotedAt").asText());
            Instant started = firstStep(releases.get(i), "dev.switchback.release.started");
            assertThat(started).as("release %d starts after release %d was promoted", i, i - 1)
                    .isAfterOrEqualTo(previousPromoted);
        }
        assertThat(versionBehindRouter()).isEqualTo(releases.get(19).path("version").asText());
    }

    @Test
    @Order(3)
    void shouldFinishAReleaseAcrossAKafkaRestartWithNoEventLost() throws Exception {
        String id = ship("4.0.0", List.of());
        Thread.sleep(300);
        suite.restartKafka(Duration.ofSeconds(3));

        assertThat(awaitEnd(id)).isEqualTo("PROMOTED");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(distinct(kafka.typesOf(id, Topics.RELEASES))).containsExactly("dev.switchback.release.requested",
                    "dev.switchback.release.started", "dev.switchback.release.live", "dev.switchback.release.promoted");
            assertThat(distinct(kafka.typesOf(id, Topics.MIGRATIONS))).containsExactly("dev.switchback.migration.skipped");
            assertThat(distinct(kafka.typesOf(id, Topics.DEPLOYMENTS))).containsExactly(
                    "dev.switchback.deployment.blue-checked", "dev.switchback.deployment.green-deploying",
                    "dev.switchback.deployment.green-ready");
            assertThat(distinct(kafka.typesOf(id, Topics.TRAFFIC))).containsExactly(
                    "dev.switchback.traffic.cutover-started", "dev.switchback.traffic.cutover-completed",
                    "dev.switchback.traffic.bake-completed");
        });
    }

    @Test
    @Order(4)
    void shouldFinishAReleaseAcrossAPostgresRestart() throws Exception {
        String id = ship("5.0.0", List.of("{\"version\": \"500\", \"description\": \"after restart\","
                + " \"sql\": \"ALTER TABLE notes ADD COLUMN restarted TEXT\"}"));
        Thread.sleep(200);
        suite.restartPostgres(Duration.ofSeconds(3));

        assertThat(awaitEnd(id)).isEqualTo("PROMOTED");
        assertThat(versionBehindRouter()).isEqualTo("5.0.0");
        assertThat(duplicateMigrations()).isEmpty();
    }

    @Test
    @Order(5)
    void shouldHaveOneEffectWhenEveryEventOfAReleaseIsDeliveredAgain() throws Exception {
        String id = ship("6.0.0", List.of("{\"version\": \"600\", \"description\": \"once\","
                + " \"sql\": \"ALTER TABLE notes ADD COLUMN once TEXT\"}"));
        assertThat(awaitEnd(id)).isEqualTo("PROMOTED");
        // Settled: the promoted release's blue was kept warm, drained and retired (the deployer hears of the
        // promotion a moment after release-api, so a blue still warm is not settled yet).
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String instances = get(suite.config().url("deployer") + "/instances?service=sample-app");
            return !instances.contains("draining until") && !instances.contains("\"state\":\"DRAINING\"")
                    && !instances.contains("\"state\":\"WARM\"");
        });
        Thread.sleep(2_000);
        String releaseBefore = release(id).toString();
        int historyBefore = historyRows();
        String instancesBefore = get(suite.config().url("deployer") + "/instances?service=sample-app");
        String routesBefore = get(suite.config().url("traffic-switcher") + "/routes");
        List<CloudEvent<SwitchbackEvent>> events = kafka.ofRelease(id);
        Map<String, Long> countsBefore = counts(id);
        assertThat(events.stream().map(CloudEvent::type).distinct()).as("every stage's events").hasSizeGreaterThanOrEqualTo(12);

        for (CloudEvent<SwitchbackEvent> event : events) {
            // The same envelope again, as a redelivery brings it, and a copy under a new id, as a stage that ran twice would.
            kafka.republish(event);
            kafka.publish(event.source(), event.data());
        }
        Thread.sleep(8_000);

        assertThat(release(id).toString().replaceAll(",\"steps\".*", ""))
                .isEqualTo(releaseBefore.replaceAll(",\"steps\".*", ""));
        assertThat(historyRows()).as("migration history rows").isEqualTo(historyBefore);
        assertThat(get(suite.config().url("deployer") + "/instances?service=sample-app")).isEqualTo(instancesBefore);
        assertThat(get(suite.config().url("traffic-switcher") + "/routes")).isEqualTo(routesBefore);
        Map<String, Long> countsAfter = counts(id);
        for (String effect : List.of("dev.switchback.release.live", "dev.switchback.release.promoted",
                "dev.switchback.deployment.green-deploying", "dev.switchback.deployment.green-ready",
                "dev.switchback.traffic.cutover-completed", "dev.switchback.traffic.bake-completed")) {
            // Each count doubles by the copies published by hand above, and grows by nothing else.
            assertThat(countsAfter.get(effect)).as(effect).isEqualTo(3 * countsBefore.get(effect));
        }
        assertThat(versionBehindRouter()).isEqualTo("6.0.0");
    }

    @Test
    @Order(6)
    void shouldStopARetiredInstanceOnRestartWhenTheDeployerDiedBeforeItsStopEnded() throws Exception {
        // A blue that ignores SIGTERM: the deployer's stop waits 10 s for it before SIGKILL, a window to die in.
        String original = suite.send("GET", "/services/sample-app/environments/local", null).body();
        com.fasterxml.jackson.databind.node.ObjectNode stubborn = (com.fasterxml.jackson.databind.node.ObjectNode)
                EventCodec.mapper().readTree(original);
        com.fasterxml.jackson.databind.node.ArrayNode command = (com.fasterxml.jackson.databind.node.ArrayNode)
                stubborn.path("runtime").path("command");
        List<String> argv = new ArrayList<>();
        command.forEach(arg -> argv.add(arg.asText()));
        command.removeAll().add("sh").add("-c").add("trap '' TERM; exec " + String.join(" ", argv));
        assertThat(suite.send("PUT", "/services/sample-app/environments/local", stubborn.toString()).statusCode())
                .isEqualTo(200);
        String blue = ship("7.0.0", List.of());
        assertThat(awaitEnd(blue)).isEqualTo("PROMOTED");
        assertThat(suite.send("PUT", "/services/sample-app/environments/local", original).statusCode()).isEqualTo(200);
        String instance = kafka.await(dev.switchback.events.GreenReady.class, blue, TERMINAL).instanceId();
        Path pidFile = suite.config().instances().resolve(instance + ".pid");
        long pid = Long.parseLong(Files.readString(pidFile).trim());

        String green = ship("7.1.0", List.of());
        assertThat(awaitEnd(green)).isEqualTo("PROMOTED");
        // Retired (committed and published) after its drain; the stop has begun and is waiting for the exit.
        kafka.await(dev.switchback.events.InstanceRetired.class, blue, TERMINAL);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("retired, still running").contains(true);
        suite.kill("deployer");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("left running by the dead deployer")
                .contains(true);

        suite.restart("deployer");

        await().atMost(Duration.ofSeconds(40)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(pidFile));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(this::assertNoOrphanInstances);
        assertThat(versionBehindRouter()).isEqualTo("7.1.0");
    }

    private Map<String, Long> counts(String id) {
        Map<String, Long> counts = new TreeMap<>();
        kafka.ofRelease(id).forEach(e -> counts.merge(e.type(), 1L, Long::sum));
        return counts;
    }

    private int historyRows() throws SQLException {
        try (Connection c = DriverManager.getConnection(suite.config().jdbcUrl("sample_app"), "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM switchback_schema_history")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private String get(String url) {
        return suite.request(url, "GET", null).body();
    }

    private String ship(String version, List<String> migrations) throws IOException {
        HttpResponse<String> accepted = suite.send("POST", "/releases", "{\"service\":\"sample-app\","
                + "\"environment\":\"local\",\"version\":\"" + version + "\",\"migrations\":[" + String.join(",", migrations)
                + "]}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return EventCodec.mapper().readTree(accepted.body()).get("id").asText();
    }

    /** Waits until the release ends: PROMOTED (live, bake over), or its terminal phase. */
    private String awaitEnd(String id) {
        String[] outcome = new String[1];
        await().atMost(TERMINAL).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            JsonNode release = release(id);
            String phase = release.path("phase").asText();
            if (phase.equals("LIVE") && !release.path("promotedAt").isNull()) {
                outcome[0] = "PROMOTED";
            } else if (List.of("FAILED", "ROLLED_BACK", "CANCELLED").contains(phase)) {
                outcome[0] = phase;
            }
            return outcome[0] != null;
        });
        return outcome[0];
    }

    private String phase(String id) {
        try {
            return release(id).path("phase").asText();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private JsonNode release(String id) throws IOException {
        HttpResponse<String> response = suite.send("GET", "/releases/" + id, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return EventCodec.mapper().readTree(response.body());
    }

    private static Instant firstStep(JsonNode release, String event) {
        for (JsonNode step : release.path("steps")) {
            if (step.path("event").asText().equals(event)) {
                return Instant.parse(step.path("at").asText());
            }
        }
        throw new AssertionError("no step " + event + " in " + release);
    }

    private String versionBehindRouter() throws IOException {
        return suite.request("http://127.0.0.1:" + suite.config().routerPort() + "/version", "GET", null).body();
    }

    private List<String> duplicateMigrations() throws SQLException {
        List<String> duplicates = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(suite.config().jdbcUrl("sample_app"), "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT version, count(*) FROM switchback_schema_history"
                     + " WHERE success GROUP BY version HAVING count(*) > 1")) {
            while (rs.next()) {
                duplicates.add(rs.getString(1) + " x" + rs.getInt(2));
            }
        }
        return duplicates;
    }

    /**
     * Every sample-app process alive belongs to an instance the deployer accounts for (not retired), and every
     * instance it says runs has a live process; one instance is live.
     */
    private void assertNoOrphanInstances() throws IOException {
        JsonNode instances = EventCodec.mapper().readTree(suite.request(suite.config().url("deployer")
                + "/instances?service=sample-app", "GET", null).body());
        Map<String, String> states = new HashMap<>();
        instances.forEach(i -> states.put(i.path("id").asText(), i.path("state").asText()));
        Set<String> alive = new HashSet<>();
        try (Stream<Path> files = Files.list(suite.config().instances())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                long pid = Long.parseLong(Files.readString(file).trim());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    alive.add(file.getFileName().toString().replace(".pid", ""));
                }
            }
        }
        for (String id : alive) {
            assertThat(states.get(id)).as("state of running instance %s", id).isNotNull().isNotEqualTo("RETIRED");
        }
        states.forEach((id, state) -> {
            if (!state.equals("RETIRED") && !state.equals("ISOLATED")) {
                assertThat(alive).as("instance %s is %s, so its process runs", id, state).contains(id);
            }
        });
        assertThat(states.values().stream().filter("LIVE"::equals)).as("live instances").hasSize(1);
    }

    private List<String> failuresOutside(List<long[]> windows) {
        prober.settle();
        return prober.failuresAt.stream()
                .filter(f -> windows.stream().noneMatch(w -> f.at() >= w[0] && f.at() <= w[1]))
                .map(f -> f.at() + " " + f.what()).toList();
    }

    private static List<String> distinct(List<String> types) {
        return types.stream().distinct().toList();
    }
}
