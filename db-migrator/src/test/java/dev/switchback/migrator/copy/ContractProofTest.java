package dev.switchback.migrator.copy;

import dev.switchback.events.CloudEvent;
import dev.switchback.events.CopyPrepared;
import dev.switchback.events.CopyVerified;
import dev.switchback.events.DatabaseSpec;
import dev.switchback.events.HealthSpec;
import dev.switchback.events.Migration;
import dev.switchback.events.MigrationFailed;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.ReleaseCancelled;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.events.RouterSpec;
import dev.switchback.events.RuntimeSpec;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.events.Topics;
import dev.switchback.migrator.support.MigratorTest;
import dev.switchback.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A contract release on a copy first, against real PostgreSQL and the real broker: the copy gets the target's schema
 * and history and the contract, production waits for the deployer's verdict (sent here as the deployer would), then
 * gets the contract or stays untouched; the scratch database is dropped either way.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "db_migrator_test"))
class ContractProofTest extends MigratorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Migration CREATE = new Migration("1", "create notes",
            "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL, author TEXT)");
    private String targetUrl;

    @BeforeEach
    void setUp() throws SQLException {
        String name = "t_" + id;
        execute(ownDatabaseUrl, "CREATE DATABASE " + name);
        targetUrl = ownDatabaseUrl.substring(0, ownDatabaseUrl.lastIndexOf('/') + 1) + name;
        given().contentType(ContentType.JSON).body("{\"service\":\"" + service + "\",\"environment\":\"test\",\"url\":\""
                + targetUrl + "\",\"username\":\"postgres\"}").post("/databases/stamp").then().statusCode(200);
        ReleaseRef first = release();
        kafka.publish("/switchback/release-api", new ReleaseStarted(first, spec(List.of(CREATE), false)));
        kafka.await(MigrationSucceeded.class, first.id(), TIMEOUT);
        execute(targetUrl, "INSERT INTO notes (body) VALUES ('kept in production')");
    }

    @Test
    void shouldApplyTheContractToACopyOfTheSchemaAndLeaveProductionWaiting() throws SQLException {
        ReleaseRef release = release();
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(List.of(rename()), true)));

        CopyPrepared prepared = kafka.await(CopyPrepared.class, release.id(), TIMEOUT);

        assertThat(prepared.database()).startsWith("t_" + id + "_copy_")
                .endsWith(release.id().substring(0, 8));
        assertThat(prepared.applied()).containsExactly("2");
        String copyUrl = prepared.url();
        assertThat(columns(copyUrl)).containsExactly("id", "text", "author");
        assertThat(strings(copyUrl, "SELECT environment FROM switchback.stamp")).containsExactly("copy");
        assertThat(strings(copyUrl, "SELECT count(*) FROM notes")).as("no row of production's data").containsExactly("0");
        assertThat(strings(copyUrl, "SELECT version FROM switchback_schema_history WHERE success ORDER BY installed_rank"))
                .containsExactly("1", "2");
        assertThat(columns(targetUrl)).as("production untouched while the copy is proven").containsExactly("id", "body", "author");
        assertThat(kafka.typesOf(release.id(), Topics.MIGRATIONS)).containsExactly("dev.switchback.migration.copy-prepared");
    }

    @Test
    void shouldFailWithTheCopysEvidenceAndLeaveProductionUntouchedWhenTheLiveVersionBreaks() throws Exception {
        ReleaseRef release = release();
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(List.of(rename()), true)));
        CopyPrepared prepared = kafka.await(CopyPrepared.class, release.id(), TIMEOUT);

        CloudEvent<SwitchbackEvent> verdict = kafka.publish("/switchback/deployer", new CopyVerified(release, false,
                "1.5.0", "http://127.0.0.1:40000", "/notes", 500, "column \"body\" does not exist", "ERROR at SELECT"));
        MigrationFailed failed = kafka.await(MigrationFailed.class, release.id(), TIMEOUT);
        kafka.republish(verdict);

        assertThat(failed.reason()).contains("breaks the live version 1.5.0").contains("GET /notes answered 500")
                .contains("column \"body\" does not exist").contains("production untouched");
        assertThat(columns(targetUrl)).containsExactly("id", "body", "author");
        assertThat(databases()).doesNotContain(prepared.database());
        Thread.sleep(1000);
        assertThat(kafka.typesOf(release.id(), Topics.MIGRATIONS)).as("the redelivered verdict changes nothing")
                .containsExactly("dev.switchback.migration.copy-prepared", "dev.switchback.migration.failed");
    }

    @Test
    void shouldApplyAContractTheLiveVersionSurvivesToProduction() throws Exception {
        ReleaseRef release = release();
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(List.of(
                new Migration("2", "drop author", "ALTER TABLE notes DROP COLUMN author")), true)));
        CopyPrepared prepared = kafka.await(CopyPrepared.class, release.id(), TIMEOUT);

        kafka.publish("/switchback/deployer", new CopyVerified(release, true, "1.5.0", "http://127.0.0.1:40000", null,
                null, "healthy on /health and /notes", null));
        MigrationSucceeded succeeded = kafka.await(MigrationSucceeded.class, release.id(), TIMEOUT);

        assertThat(succeeded.applied()).containsExactly("2");
        assertThat(columns(targetUrl)).containsExactly("id", "body");
        assertThat(strings(targetUrl, "SELECT body FROM notes")).containsExactly("kept in production");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(databases()).doesNotContain(prepared.database()));
        assertThat(kafka.typesOf(release.id(), Topics.MIGRATIONS)).containsExactly("dev.switchback.migration.copy-prepared",
                "dev.switchback.migration.started", "dev.switchback.migration.succeeded");
    }

    @Test
    void shouldDropTheCopyAndNeverTouchProductionWhenTheReleaseEndsWhileItIsProven() throws Exception {
        ReleaseRef release = release();
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(List.of(
                new Migration("2", "drop author", "ALTER TABLE notes DROP COLUMN author")), true)));
        CopyPrepared prepared = kafka.await(CopyPrepared.class, release.id(), TIMEOUT);

        kafka.publish("/switchback/release-api", new ReleaseCancelled(release, "aborted by an operator"));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(databases()).doesNotContain(prepared.database()));
        // The deployer's healthy verdict comes after: the release is over, so it applies nothing.
        kafka.publish("/switchback/deployer", new CopyVerified(release, true, "1.5.0", "http://127.0.0.1:40000", null,
                null, "healthy on /health and /notes", null));
        Thread.sleep(1500);

        assertThat(columns(targetUrl)).as("production untouched").containsExactly("id", "body", "author");
        assertThat(kafka.typesOf(release.id(), Topics.MIGRATIONS)).containsExactly("dev.switchback.migration.copy-prepared");
    }

    @Test
    void shouldFailOnTheCopyWhenTheContractItselfFailsThere() throws SQLException {
        ReleaseRef release = release();
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(List.of(
                new Migration("2", "drop a column that is not there", "ALTER TABLE notes DROP COLUMN nowhere")), true)));

        MigrationFailed failed = kafka.await(MigrationFailed.class, release.id(), TIMEOUT);

        assertThat(failed.reason()).contains("fails on a copy of the schema").contains("nowhere");
        assertThat(columns(targetUrl)).containsExactly("id", "body", "author");
        assertThat(databases()).noneMatch(d -> d.contains("_copy_" + release.id().substring(0, 8)));
    }

    private static Migration rename() {
        return new Migration("2", "rename body", "ALTER TABLE notes RENAME COLUMN body TO text");
    }

    private ReleaseRef release() {
        return new ReleaseRef(UUID.randomUUID().toString(), service, "test", "1.0.0");
    }

    private ReleaseSpec spec(List<Migration> migrations, boolean contract) {
        return new ReleaseSpec("app.jar", new RuntimeSpec("process", List.of("java", "-jar", "{artifact}"),
                Map.of("DB_URL", targetUrl)), new RouterSpec("embedded", 9999), new HealthSpec("/health", 10, List.of("/notes")),
                new DatabaseSpec(targetUrl, "postgres", null), migrations, contract ? "contract" : "expand", contract);
    }

    private List<String> databases() throws SQLException {
        return strings(ownDatabaseUrl, "SELECT datname FROM pg_database");
    }

    private static List<String> columns(String url) throws SQLException {
        return strings(url, "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
                + " AND table_name = 'notes' ORDER BY ordinal_position");
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> strings(String url, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
