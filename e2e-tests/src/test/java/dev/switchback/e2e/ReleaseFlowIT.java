package dev.switchback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.AnalysisFailed;
import dev.switchback.events.BlueRetired;
import dev.switchback.events.EventCodec;
import dev.switchback.events.ReleaseFailed;
import dev.switchback.events.RollbackCompleted;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole suite as a user runs it: a real Kafka broker and PostgreSQL, the four services as packaged processes,
 * sample-app released through the pipeline. Ships 1.0.0 -> 1.1.0 with a migration, rolls back, then ships a green
 * that never gets healthy, while a prober checks that users are served throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseFlowIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String MIGRATION = "ALTER TABLE notes ADD COLUMN author TEXT";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Suite suite;
    private KafkaEvents kafka;
    private String router;
    private String upgradeId;
    private Prober prober;

    @BeforeAll
    void startSuite() {
        suite = Suites.start("suite");
        SuiteConfig config = suite.config();
        kafka = new KafkaEvents(config.kafkaBootstrap());
        router = "http://127.0.0.1:" + config.routerPort();
        prober = new Prober(router + "/version");
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
    void shouldServeTheFirstReleaseBehindTheRouter() throws Exception {
        assertThat(get(router + "/version").body()).isEqualTo("1.0.0");
        JsonNode first = release(suite.sampleReleaseId());
        assertThat(first.path("phase").asText()).isEqualTo("LIVE");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kafka.typesOf(suite.sampleReleaseId(), Topics.MIGRATIONS))
                .containsExactly("dev.switchback.migration.started", "dev.switchback.migration.succeeded"));
        assertThat(post(router + "/notes", "written while 1.0.0 is live").statusCode()).isEqualTo(201);
    }

    @Test
    @Order(2)
    void shouldShipANewVersionWithItsMigrationFirst() throws Exception {
        // A bake long enough for the rollback below to find blue still warm, however slow the machine.
        String spec = suite.send("GET", "/services/sample-app/environments/local", null).body();
        assertThat(spec).contains("\"bakeSeconds\":10");
        assertThat(suite.send("PUT", "/services/sample-app/environments/local",
                spec.replace("\"bakeSeconds\":10", "\"bakeSeconds\":120")).statusCode()).isEqualTo(200);
        prober.start();
        HttpResponse<String> accepted = suite.send("POST", "/releases", """
                {"service": "sample-app", "environment": "local", "version": "1.1.0",
                 "migrations": [{"version": "2", "description": "add note author", "sql": "%s"}]}
                """.formatted(MIGRATION));
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/releases/"));
        upgradeId = EventCodec.mapper().readTree(accepted.body()).get("id").asText();

        awaitPhase(upgradeId, "LIVE");

        assertThat(get(router + "/version").body()).isEqualTo("1.1.0");
        assertThat(columns("notes")).containsExactly("id", "body", "author");
        List<String> phases = new ArrayList<>();
        release(upgradeId).path("steps").forEach(step -> phases.add(step.path("phase").asText()));
        assertThat(phases).containsSubsequence("MIGRATING", "DEPLOYING", "SWITCHING", "LIVE").endsWith("LIVE");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(kafka.typesOf(upgradeId, Topics.RELEASES)).containsExactly("dev.switchback.release.requested",
                    "dev.switchback.release.started", "dev.switchback.release.live");
            assertThat(kafka.typesOf(upgradeId, Topics.MIGRATIONS))
                    .containsExactly("dev.switchback.migration.started", "dev.switchback.migration.succeeded");
            assertThat(kafka.typesOf(upgradeId, Topics.DEPLOYMENTS)).containsExactly("dev.switchback.deployment.blue-checked",
                    "dev.switchback.deployment.green-deploying", "dev.switchback.deployment.green-ready");
            assertThat(kafka.typesOf(upgradeId, Topics.TRAFFIC)).containsExactly(
                    "dev.switchback.traffic.cutover-started", "dev.switchback.traffic.cutover-completed");
        });
        assertThat(release(upgradeId).path("conditions").get(0).path("type").asText()).isEqualTo("Baking");
        assertThat(release(upgradeId).path("conditions").get(0).path("status").asText()).isEqualTo("True");
        assertThat(post(router + "/notes", "written while 1.1.0 is live").statusCode()).isEqualTo(201);
    }

    @Test
    @Order(3)
    void shouldRollBackToBlueWithoutLosingData() throws Exception {
        HttpResponse<String> rollback = suite.send("POST", "/releases/" + upgradeId + "/rollback", null);
        assertThat(rollback.statusCode()).isEqualTo(202);

        awaitPhase(upgradeId, "ROLLED_BACK");

        assertThat(get(router + "/version").body()).isEqualTo("1.0.0");
        String notes = get(router + "/notes").body();
        assertThat(notes).contains("written while 1.0.0 is live").contains("written while 1.1.0 is live");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kafka.typesOf(upgradeId, Topics.TRAFFIC))
                .contains("dev.switchback.traffic.rollback-completed"));
        assertThat(kafka.typesOf(upgradeId, Topics.RELEASES))
                .contains("dev.switchback.release.rollback-requested", "dev.switchback.release.rolled-back");
    }

    @Test
    @Order(4)
    void shouldKeepBlueServingWhenGreenNeverGetsHealthy() throws Exception {
        String spec = suite.send("GET", "/services/sample-app/environments/local", null).body()
                .replace("\"deadlineSeconds\":30", "\"deadlineSeconds\":5");
        assertThat(suite.send("PUT", "/services/sample-app/environments/local", spec).statusCode()).isEqualTo(200);
        HttpResponse<String> accepted = suite.send("POST", "/releases",
                "{\"service\":\"sample-app\",\"environment\":\"local\",\"version\":\"1.2.0-unhealthy\"}");
        String id = EventCodec.mapper().readTree(accepted.body()).get("id").asText();

        awaitPhase(id, "FAILED");

        ReleaseFailed failed = kafka.await(ReleaseFailed.class, id, TIMEOUT);
        assertThat(failed.stage()).isEqualTo("deployment");
        assertThat(failed.reason()).contains("not healthy");
        assertThat(get(router + "/version").body()).isEqualTo("1.0.0");
        prober.stop();
        assertThat(prober.requests.get()).as("requests made through the router").isGreaterThan(50);
        assertThat(prober.failures).as("failed requests while releasing, rolling back and failing").isEmpty();
        assertThat(prober.versions.keySet()).containsOnly("1.0.0", "1.1.0");
    }

    @Test
    @Order(8)
    void shouldStopAContractReleaseThatBreaksBlueAndShipNoCode() throws Exception {
        String rename = "\"migrations\": [{\"version\": \"3\", \"description\": \"rename body\","
                + " \"sql\": \"ALTER TABLE notes RENAME COLUMN body TO text\"}]";
        HttpResponse<String> mixed = suite.send("POST", "/releases",
                "{\"service\": \"sample-app\", \"environment\": \"local\", \"version\": \"1.3.0\", " + rename + "}");
        assertThat(mixed.statusCode()).isEqualTo(422);
        assertThat(mixed.body()).contains("rename-column").contains("contract");

        HttpResponse<String> accepted = suite.send("POST", "/releases", "{\"service\": \"sample-app\","
                + " \"environment\": \"local\", \"version\": \"1.0.0\", \"phase\": \"contract\", " + rename + "}");
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = EventCodec.mapper().readTree(accepted.body()).get("id").asText();
        // Contract migrations wait for a second person: not the requester, whatever its roles.
        assertThat(release(id).path("phase").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(suite.send("POST", "/releases/" + id + "/approve", null).statusCode()).isEqualTo(403);
        assertThat(columns("notes")).as("nothing runs before approval").contains("body");
        HttpResponse<String> approved = suite.send("POST", "/releases/" + id + "/approve?comment=rename%20reviewed",
                null, suite.tokens().token("reviewer", "approver"));
        assertThat(approved.statusCode()).isEqualTo(200);

        awaitPhase(id, "FAILED");

        // The rename was proven on a copy first: the live version broke there, so production never got it.
        JsonNode failed = release(id);
        assertThat(failed.path("reason").asText()).contains("migration").contains("breaks the live version 1.5.0")
                .contains("copy").contains("production untouched").contains("/health");
        assertThat(kafka.typesOf(id, Topics.MIGRATIONS)).containsExactly("dev.switchback.migration.copy-prepared",
                "dev.switchback.migration.failed");
        assertThat(kafka.typesOf(id, Topics.DEPLOYMENTS)).containsExactly("dev.switchback.deployment.copy-verified");
        assertThat(columns("notes")).contains("body").doesNotContain("text");
        assertThat(get(router + "/notes").statusCode()).as("users still read their notes").isEqualTo(200);
        assertThat(get(router + "/version").body()).as("no code was deployed").isEqualTo("1.5.0");
        List<String> steps = new ArrayList<>();
        failed.path("steps").forEach(step -> steps.add(step.toString()));
        assertThat(String.join("\n", steps)).contains("copy-prepared").contains("copy-verified");

        // A contract the live version survives (it never reads author) is proven on the copy, then applied.
        HttpResponse<String> drop = suite.send("POST", "/releases", "{\"service\": \"sample-app\", \"environment\":"
                + " \"local\", \"version\": \"1.0.0\", \"changeKind\": \"contract\", \"migrations\": [{\"version\": \"3\","
                + " \"description\": \"drop author\", \"sql\": \"ALTER TABLE notes DROP COLUMN author\"}]}");
        assertThat(drop.statusCode()).as(drop.body()).isEqualTo(202);
        String dropId = EventCodec.mapper().readTree(drop.body()).get("id").asText();
        assertThat(suite.send("POST", "/releases/" + dropId + "/approve?comment=unused%20column", null,
                suite.tokens().token("reviewer", "approver")).statusCode()).isEqualTo(200);

        awaitPhase(dropId, "LIVE");

        assertThat(columns("notes")).containsExactly("id", "body");
        assertThat(kafka.typesOf(dropId, Topics.MIGRATIONS)).containsExactly("dev.switchback.migration.copy-prepared",
                "dev.switchback.migration.started", "dev.switchback.migration.succeeded");
        assertThat(get(router + "/notes").statusCode()).isEqualTo(200);
        assertThat(get(router + "/version").body()).isEqualTo("1.5.0");
    }

    @Test
    @Order(5)
    void shouldSwitchBackAutomaticallyWhenGreenAnswers5xxDuringTheBake() throws Exception {
        String id = ship("1.4.0-fail");

        awaitPhase(id, "ROLLED_BACK");

        assertThat(get(router + "/version").body()).isEqualTo("1.0.0");
        AnalysisFailed failed = kafka.await(AnalysisFailed.class, id, TIMEOUT);
        assertThat(failed.measurement().verdict()).isEqualTo("fail");
        assertThat(failed.measurement().errorRate()).isGreaterThan(0.05);
        RollbackCompleted rollback = kafka.await(RollbackCompleted.class, id, TIMEOUT);
        assertThat(rollback.switchMillis()).as("from the failing interval to all traffic on blue").isLessThan(2000);
        assertThat(release(id).path("reason").asText()).contains("error rate");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(instanceState("1.4.0-fail")).isEqualTo("ISOLATED"));
    }

    @Test
    @Order(6)
    void shouldPromoteOnRequestRetireBlueAndThenRefuseRollback() throws Exception {
        String id = ship("1.5.0");
        awaitPhase(id, "LIVE");
        assertThat(suite.send("POST", "/releases/" + id + "/promote", null).statusCode()).isEqualTo(202);

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(release(id).path("promotedAt").isNull()).isFalse());
        BlueRetired retired = kafka.await(BlueRetired.class, suite.sampleReleaseId(), TIMEOUT);
        assertThat(retired.retiredVersion()).isEqualTo("1.0.0");
        assertThat(get(router + "/version").body()).isEqualTo("1.5.0");
        HttpResponse<String> rollback = suite.send("POST", "/releases/" + id + "/rollback", null);
        assertThat(rollback.statusCode()).isEqualTo(409);
        assertThat(rollback.body()).contains("ship it as a new release");
    }

    @Test
    @Order(9)
    void shouldAnswerOnlyToTokensSignedWithTheSuitesKey() throws Exception {
        for (String service : List.of("release-api", "db-migrator", "deployer", "traffic-switcher")) {
            String base = suite.config().url(service);
            String api = switch (service) {
                case "release-api" -> "/releases/" + suite.sampleReleaseId();
                case "db-migrator" -> "/databases/stamp";
                case "deployer" -> "/instances";
                default -> "/routes";
            };
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + api)).timeout(Duration.ofSeconds(5));
            if (service.equals("db-migrator")) {
                request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
            }
            HttpResponse<String> anonymous = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as(service).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(service).hasValue("Bearer");
            assertThat(get(base + "/q/health/ready").statusCode()).as(service).isEqualTo(200);
        }
        // ./suite token: the token is the last line of what it prints.
        String viewer = token("viewer", "--env", "local");
        HttpResponse<String> read = suite.send("GET", "/releases/" + suite.sampleReleaseId(), null, viewer);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(suite.send("POST", "/releases/" + suite.sampleReleaseId() + "/abort", null, viewer).statusCode())
                .isEqualTo(403);
        String elsewhere = token("releaser", "--env", "staging", "--subject", "staging-ci");
        HttpResponse<String> refused = suite.send("POST", "/releases",
                "{\"service\":\"sample-app\",\"environment\":\"local\",\"version\":\"9.9.9\"}", elsewhere);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("staging");
    }

    private String token(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.switchback.infra.auth.TokenMain",
                suite.tokens().publicKey().getParent().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
        List<String> lines = output.lines().toList();
        return lines.get(lines.size() - 1);
    }

    private String ship(String version) throws IOException {
        HttpResponse<String> accepted = suite.send("POST", "/releases",
                "{\"service\":\"sample-app\",\"environment\":\"local\",\"version\":\"" + version + "\"}");
        assertThat(accepted.statusCode()).isEqualTo(202);
        return EventCodec.mapper().readTree(accepted.body()).get("id").asText();
    }

    private String instanceState(String version) throws IOException, InterruptedException {
        JsonNode instances = EventCodec.mapper().readTree(suite.request(suite.config().url("deployer")
                + "/instances?service=sample-app", "GET", null).body());
        for (JsonNode instance : instances) {
            if (instance.path("version").asText().equals(version)) {
                return instance.path("state").asText();
            }
        }
        return null;
    }

    private void awaitPhase(String id, String phase) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(release(id).path("phase").asText()).isEqualTo(phase));
    }

    private JsonNode release(String id) throws IOException {
        HttpResponse<String> response = suite.send("GET", "/releases/" + id, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return EventCodec.mapper().readTree(response.body());
    }

    private List<String> columns(String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(suite.config().jdbcUrl("sample_app"), "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT column_name FROM information_schema.columns"
                     + " WHERE table_name = '" + table + "' ORDER BY ordinal_position")) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        return columns;
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
