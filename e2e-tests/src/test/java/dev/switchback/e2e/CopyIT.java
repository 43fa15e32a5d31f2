package dev.switchback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.EventCodec;
import dev.switchback.events.Topics;
import dev.switchback.infra.suite.Suite;
import dev.switchback.infra.test.KafkaEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A copy of a shipped release on request, on the packaged suite: an admin asks for it, the release's version answers on
 * its own endpoint from a schema copy of production (a note written through it never reaches production, and the
 * router never sends it traffic), it is listed, and it is retired with its database dropped once its short retention
 * ends, though the deployer and the migrator were down when it did; a viewer is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CopyIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String RETENTION = "PT20S";
    private static final String COPY_NOTE = "written through the copy";
    private static final String PRODUCTION_NOTE = "written in production";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Suite suite;
    private KafkaEvents kafka;
    private String router;

    @BeforeAll
    void startSuite() {
        suite = Suites.start("copy-suite");
        kafka = new KafkaEvents(suite.config().kafkaBootstrap());
        router = "http://127.0.0.1:" + suite.config().routerPort();
    }

    @AfterAll
    void stopSuite() {
        if (kafka != null) {
            kafka.close();
        }
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void shouldRunACopyOfAReleaseOnACopyOfItsSchemaUntilItsRetentionEnds() throws Exception {
        String release = ship("{\"service\":\"sample-app\",\"environment\":\"local\",\"version\":\"1.1.0\",\"migrations\":"
                + "[{\"version\":\"2\",\"description\":\"notes get an author\",\"sql\":\"ALTER TABLE notes ADD COLUMN author TEXT\"}]}");
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(json(suite.send("GET", "/releases/" + release, null)).path("phase").asText()).isEqualTo("LIVE"));
        assertThat(send("POST", router + "/notes", PRODUCTION_NOTE).statusCode()).isEqualTo(201);

        String body = "{\"reason\":\"failure analysis of 1.1.0\",\"retention\":\"" + RETENTION + "\"}";
        HttpResponse<String> viewer = suite.send("POST", "/releases/" + release + "/copies", body,
                suite.tokens().token("vera", "viewer"));
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(viewer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        HttpResponse<String> accepted = suite.send("POST", "/releases/" + release + "/copies", body);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String copyId = json(accepted).path("id").asText();
        assertThat(json(accepted).path("version").asText()).isEqualTo("1.1.0");

        JsonNode running = awaitState(release, copyId, "RUNNING");
        String endpoint = running.path("endpoint").asText();
        String database = running.path("database").asText();
        assertThat(database).isEqualTo("sample_app_copy_" + copyId.replace("-", "").substring(0, 8));
        assertThat(Instant.parse(running.path("expiresAt").asText()))
                .isEqualTo(Instant.parse(running.path("createdAt").asText()).plus(Duration.parse(RETENTION)));

        // The copy answers from its own database: the schema as it is now, none of production's rows.
        assertThat(send("GET", endpoint + "/version", null).body()).isEqualTo("1.1.0");
        assertThat(send("GET", endpoint + "/notes", null).body()).doesNotContain(PRODUCTION_NOTE);
        assertThat(send("POST", endpoint + "/notes", COPY_NOTE).statusCode()).isEqualTo(201);
        assertThat(send("GET", endpoint + "/notes", null).body()).contains(COPY_NOTE);
        assertThat(count(database, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes'"
                + " AND column_name = 'author'")).isEqualTo(1);
        assertThat(count("sample_app", "SELECT count(*) FROM notes WHERE body = '" + COPY_NOTE + "'")).isZero();
        assertThat(count(database, "SELECT count(*) FROM switchback.stamp WHERE environment = 'copy'")).isEqualTo(1);
        // The router keeps production's traffic on production.
        for (int i = 0; i < 5; i++) {
            assertThat(send("GET", router + "/notes", null).body()).contains(PRODUCTION_NOTE).doesNotContain(COPY_NOTE);
        }

        JsonNode listed = json(suite.send("GET", "/releases/" + release + "/copies", null,
                suite.tokens().token("vera", "viewer")));
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("reason").asText()).isEqualTo("failure analysis of 1.1.0");

        // Restarts lose nothing: with the deployer and the migrator down over the expiry, the stored expiry retires
        // the copy once they are back.
        suite.kill("deployer");
        suite.kill("db-migrator");
        Instant expiresAt = Instant.parse(running.path("expiresAt").asText());
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> Instant.now().isAfter(expiresAt));
        assertThat(answers(endpoint + "/version")).as("the copy outlived its deployer").isTrue();
        suite.restart("db-migrator");
        suite.restart("deployer");

        JsonNode retired = awaitState(release, copyId, "RETIRED");
        assertThat(retired.path("databaseDropped").asBoolean()).isTrue();
        assertThat(retired.path("retiredReason").asText()).contains("retention ended");
        assertThat(answers(endpoint + "/version")).as("the copy is stopped").isFalse();
        assertThat(count("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + database + "'")).isZero();
        assertThat(kafka.typesOf(release, Topics.RELEASES)).contains("dev.switchback.release.copy-requested");
        assertThat(kafka.typesOf(release, Topics.MIGRATIONS)).contains("dev.switchback.migration.copy-created",
                "dev.switchback.migration.copy-dropped");
        assertThat(kafka.typesOf(release, Topics.DEPLOYMENTS)).contains("dev.switchback.deployment.copy-started",
                "dev.switchback.deployment.copy-retired");
        HttpResponse<String> audit = http.send(HttpRequest.newBuilder(URI.create(suite.config().url("release-api")
                        + "/audit?service=sample-app&format=jsonl"))
                .header("Authorization", "Bearer " + suite.tokens().token("auditor", "viewer")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(audit.body()).contains("release.copy-requested").contains("failure analysis of 1.1.0")
                .contains("release.copy-retired");
    }

    private JsonNode awaitState(String release, String copyId, String state) {
        JsonNode[] seen = new JsonNode[1];
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode copy = json(suite.send("GET", "/releases/" + release + "/copies/" + copyId, null));
            assertThat(copy.path("state").asText()).as(copy.toString()).isEqualTo(state);
            seen[0] = copy;
        });
        return seen[0];
    }

    private String ship(String body) throws IOException {
        HttpResponse<String> accepted = suite.send("POST", "/releases", body);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return json(accepted).get("id").asText();
    }

    private long count(String database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(suite.config().jdbcUrl(database), "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return EventCodec.mapper().readTree(response.body());
    }

    private HttpResponse<String> send(String method, String url, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private boolean answers(String url) {
        try {
            send("GET", url, null);
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
