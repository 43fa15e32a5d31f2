package dev.switchback.deployer.copy;

import dev.switchback.events.CopyPrepared;
import dev.switchback.events.CopyVerified;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.GreenReady;
import dev.switchback.events.HealthSpec;
import dev.switchback.events.MigrationSkipped;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.RouterSpec;
import dev.switchback.events.RuntimeSpec;
import dev.switchback.deployer.DeployerTest;
import dev.switchback.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployer's half of a contract's proof, with the real sample-app, PostgreSQL and broker: a copy of the live
 * version is pointed at the schema copy, judged on its health path and smoke paths, and stopped; live blue is left
 * alone.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "deployer_test"))
class CopyProofTest extends DeployerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path SAMPLE_JAR = Path.of("../sample-app/target/sample-app.jar").toAbsolutePath().normalize();
    private static final Path INSTANCES = Path.of("target/instances");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String ownDatabaseUrl;

    private String liveUrl;

    @BeforeEach
    void setUp() throws SQLException {
        liveUrl = database("l_" + id, "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)");
    }

    @Test
    void shouldFailTheProofWithTheCopysEvidenceWhenTheLiveVersionBreaksOnTheCopy() throws Exception {
        GreenReady blue = liveBlue();
        String copy = database("c_" + id, "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL)");
        ReleaseRef contract = release("1.0.0");

        kafka.publish("/switchback/db-migrator", new CopyPrepared(contract, copy, "c_" + id, List.of("2")));
        CopyVerified verdict = kafka.await(CopyVerified.class, contract.id(), TIMEOUT);

        assertThat(verdict.healthy()).isFalse();
        assertThat(verdict.version()).isEqualTo("1.5.0");
        assertThat(verdict.failingPath()).isEqualTo("/health");
        assertThat(verdict.status()).isEqualTo(503);
        assertThat(verdict.evidence()).contains("not healthy");
        assertThat(verdict.endpoint()).isNotEqualTo(blue.endpoint());
        assertThat(answers(verdict.endpoint() + "/version")).as("the copy is stopped").isFalse();
        assertThat(status(blue.endpoint() + "/notes")).as("live blue untouched").isEqualTo(200);
    }

    @Test
    void shouldPassTheProofWhenTheCopyAnswersItsHealthAndSmokePaths() throws Exception {
        GreenReady blue = liveBlue();
        String copy = database("c_" + id, "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)");
        ReleaseRef contract = release("1.0.0");

        kafka.publish("/switchback/db-migrator", new CopyPrepared(contract, copy, "c_" + id, List.of("2")));
        CopyVerified verdict = kafka.await(CopyVerified.class, contract.id(), TIMEOUT);

        assertThat(verdict.healthy()).as(verdict.evidence()).isTrue();
        assertThat(verdict.evidence()).contains("/health").contains("/notes");
        assertThat(answers(verdict.endpoint() + "/version")).as("the copy is stopped").isFalse();
        assertThat(status(blue.endpoint() + "/version")).isEqualTo(200);
    }

    @Test
    void shouldFailTheProofWhenASmokePathFails() throws Exception {
        liveBlue();
        // /health reads one row; /notes reads them all: a row that cannot be read breaks /notes alone.
        String copy = database("c_" + id, "CREATE TABLE notes_data (id BIGINT, body TEXT);"
                + " INSERT INTO notes_data VALUES (2, 'two'), (1, 'one');"
                + " CREATE VIEW notes AS SELECT id, CASE WHEN id = 1 THEN (1 / (id - 1))::text ELSE body END AS body FROM notes_data");
        ReleaseRef contract = release("1.0.0");

        kafka.publish("/switchback/db-migrator", new CopyPrepared(contract, copy, "c_" + id, List.of("2")));
        CopyVerified verdict = kafka.await(CopyVerified.class, contract.id(), TIMEOUT);

        assertThat(verdict.healthy()).isFalse();
        assertThat(verdict.failingPath()).isEqualTo("/notes");
        assertThat(verdict.status()).isGreaterThanOrEqualTo(500);
        assertThat(verdict.log()).as("the copy's own log comes with the verdict").isNotNull();
    }

    @Test
    void shouldPassWhenThereIsNoLiveVersionToProveAgainst() {
        ReleaseRef contract = release("1.0.0");
        kafka.publish("/switchback/db-migrator", new CopyPrepared(contract, liveUrl, "whatever", List.of("2")));

        CopyVerified verdict = kafka.await(CopyVerified.class, contract.id(), TIMEOUT);

        assertThat(verdict.healthy()).isTrue();
        assertThat(verdict.evidence()).contains("no live version");
    }

    private GreenReady liveBlue() {
        ReleaseRef release = release("1.5.0");
        ReleaseSpec spec = new ReleaseSpec(SAMPLE_JAR.toString(), new RuntimeSpec("process", List.of("java", "-jar", "{artifact}"),
                Map.of("DB_URL", liveUrl, "DB_USER", "postgres")), new RouterSpec("embedded", 9999),
                new HealthSpec("/health", 6, List.of("/notes")), null, List.of());
        kafka.publish("/switchback/db-migrator", new MigrationSkipped(release, spec, "nothing to migrate"));
        GreenReady ready = kafka.await(GreenReady.class, release.id(), TIMEOUT);
        kafka.publish("/switchback/traffic-switcher", new CutoverCompleted(release, 9999, null, ready.endpoint()));
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> kafka.typesOf(release.id(),
                dev.switchback.events.Topics.TRAFFIC).contains("dev.switchback.traffic.cutover-completed"));
        // The deployer makes green LIVE when it hears the cutover; give it that moment.
        org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(500)).atMost(TIMEOUT).until(() -> true);
        return ready;
    }

    private ReleaseRef release(String version) {
        return new ReleaseRef(UUID.randomUUID().toString(), service, "test", version);
    }

    private String database(String name, String ddl) throws SQLException {
        execute(ownDatabaseUrl, "CREATE DATABASE " + name);
        String url = ownDatabaseUrl.substring(0, ownDatabaseUrl.lastIndexOf('/') + 1) + name;
        execute(url, ddl);
        return url;
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static int status(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static boolean answers(String url) {
        try {
            status(url);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
