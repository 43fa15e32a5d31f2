package dev.switchback.migrator;

import dev.switchback.events.CloudEvent;
import dev.switchback.events.DatabaseSpec;
import dev.switchback.events.HealthSpec;
import dev.switchback.events.Migration;
import dev.switchback.events.MigrationFailed;
import dev.switchback.events.MigrationSkipped;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.events.RouterSpec;
import dev.switchback.events.RuntimeSpec;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.events.Topics;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.KafkaEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
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

import static org.assertj.core.api.Assertions.assertThat;

/** The db-migrator applying releases' migrations to a real target database, driven through the real broker. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "db_migrator_test"))
class MigrationServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String TARGET_DATABASE = "migrator_target";
    private static KafkaEvents kafka;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String ownDatabaseUrl;

    private String targetUrl;
    private String table;

    @BeforeEach
    void setUp() throws SQLException {
        if (kafka == null) {
            kafka = new KafkaEvents(bootstrapServers);
        }
        targetUrl = ownDatabaseUrl.substring(0, ownDatabaseUrl.lastIndexOf('/') + 1) + TARGET_DATABASE;
        try (Connection c = DriverManager.getConnection(ownDatabaseUrl, "postgres", "");
             Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + TARGET_DATABASE + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + TARGET_DATABASE);
            }
        }
        // Each test migrates a schema of its own, so the target's Flyway history never mixes tests.
        table = "notes_" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterAll
    static void closeKafka() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    @Test
    void shouldApplyMigrationsBeforeCodeAndSayWhichVersionsRan() throws SQLException {
        String schema = "s_" + table;
        ReleaseRef release = release("1.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(schema, List.of(
                new Migration("1", "create notes", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)"),
                new Migration("2", "add author", "ALTER TABLE notes ADD COLUMN author TEXT")))));

        MigrationSucceeded succeeded = kafka.await(MigrationSucceeded.class, release.id(), TIMEOUT);

        assertThat(succeeded.applied()).containsExactly("1", "2");
        assertThat(succeeded.spec().artifact()).isEqualTo("app.jar");
        assertThat(columns(schema, "notes")).containsExactly("id", "body", "author");
        assertThat(kafka.typesOf(release.id(), Topics.MIGRATIONS))
                .containsExactly("dev.switchback.migration.started", "dev.switchback.migration.succeeded");
    }

    @Test
    void shouldNotRunAMigrationTwiceWhenTheReleaseIsDeliveredAgainOrResent() throws SQLException {
        String schema = "s_" + table;
        ReleaseRef first = release("1.0.0");
        List<Migration> migrations = List.of(new Migration("1", "create t", "CREATE TABLE t (id INT)"),
                new Migration("2", "counter", "INSERT INTO t VALUES (1)"));
        CloudEvent<SwitchbackEvent> event = kafka.publish("/switchback/release-api", new ReleaseStarted(first, spec(schema, migrations)));
        kafka.await(MigrationSucceeded.class, first.id(), TIMEOUT);
        kafka.republish(event);
        // A later release carrying the same versions again: Flyway's history says they are applied.
        ReleaseRef second = release("1.0.1");
        kafka.publish("/switchback/release-api", new ReleaseStarted(second, spec(schema, migrations)));

        assertThat(kafka.await(MigrationSucceeded.class, second.id(), TIMEOUT).applied()).isEmpty();
        assertThat(count(schema, "SELECT count(*) FROM t")).isEqualTo(1);
        assertThat(count(schema, "SELECT count(*) FROM switchback_schema_history WHERE version IN ('1', '2')")).isEqualTo(2);
        assertThat(kafka.typesOf(first.id(), Topics.MIGRATIONS)).hasSize(2);
    }

    @Test
    void shouldFailTheReleaseWhenAMigrationFailsAndLeaveNothingHalfDone() throws SQLException {
        String schema = "s_" + table;
        ReleaseRef release = release("1.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(schema, List.of(
                new Migration("1", "create", "CREATE TABLE a (id INT)"),
                new Migration("2", "broken", "CREATE TABLE b (id INT); ALTERR TABLE a ADD COLUMN x INT")))));

        MigrationFailed failed = kafka.await(MigrationFailed.class, release.id(), TIMEOUT);

        assertThat(failed.migrationVersion()).isEqualTo("2");
        assertThat(failed.reason()).contains("ALTERR");
        assertThat(tables(schema)).contains("a").doesNotContain("b");
    }

    @Test
    void shouldSkipAReleaseWithoutMigrations() {
        ReleaseRef release = release("1.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec("s_" + table, List.of())));

        assertThat(kafka.await(MigrationSkipped.class, release.id(), TIMEOUT).reason()).contains("no migrations");
    }

    private ReleaseRef release(String version) {
        return new ReleaseRef(UUID.randomUUID().toString(), "app-" + table.substring(6), "test", version);
    }

    private ReleaseSpec spec(String schema, List<Migration> migrations) {
        String url = targetUrl + "?currentSchema=" + schema;
        ensureSchema(schema);
        return new ReleaseSpec("app.jar", new RuntimeSpec("process", List.of("java", "-jar", "{artifact}"), Map.of()),
                new RouterSpec("embedded", 9999), new HealthSpec("/health", 10),
                new DatabaseSpec(url, "postgres", null), migrations);
    }

    private void ensureSchema(String schema) {
        try (Connection c = DriverManager.getConnection(targetUrl, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> columns(String schema, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(targetUrl, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT column_name FROM information_schema.columns WHERE table_schema = '"
                     + schema + "' AND table_name = '" + table + "' ORDER BY ordinal_position")) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        return columns;
    }

    private List<String> tables(String schema) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(targetUrl, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    private long count(String schema, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(targetUrl + "?currentSchema=" + schema, "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
