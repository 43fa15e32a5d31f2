package dev.switchback.migrator.fence;

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
import dev.switchback.events.Topics;
import dev.switchback.migrator.support.MigratorTest;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.KafkaEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
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

/**
 * The fence around the code: a staging release whose green's configuration points at the production database, by
 * JDBC URL, by postgres:// URL or by named host/port/name settings, is refused before anything changes, with
 * migrations or without, and the password never shows; its own database passes.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "db_migrator_test"))
class FenceOnCodeTest extends MigratorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(45);
    private static final String PASSWORD = "hunter2-very-secret";
    private static final String CREATE = "CREATE TABLE notes (id INT)";
    private String stagingUrl;
    private String productionUrl;
    private String productionName;

    @BeforeEach
    void setUp() throws SQLException {
        stagingUrl = createDatabase("s_" + id);
        productionName = "p_" + id;
        productionUrl = createDatabase(productionName);
        stamp("staging", stagingUrl);
        stamp("production", productionUrl);
    }

    @Test
    void shouldRefuseAGreenWhoseJdbcUrlPointsAtProductionWithMigrations() throws SQLException {
        ReleaseRef release = release();
        publish(release, env(Map.of("DB_URL", productionUrl)), List.of(new Migration("1", "create", CREATE)));

        MigrationFailed failed = kafka.await(MigrationFailed.class, release.id(), TIMEOUT);

        assertThat(failed.reason()).contains("fence").contains("env DB_URL").contains(productionName)
                .contains("stamped production").contains("staging release");
        assertThat(tables(stagingUrl)).as("nothing applied to the release's own database").isEmpty();
        assertThat(tables(productionUrl)).isEmpty();
        assertThat(kafka.typesOf(release.id(), Topics.MIGRATIONS)).containsExactly("dev.switchback.migration.failed");
    }

    @Test
    void shouldRefuseAGreenWhoseUrlPointsAtProductionWithoutMigrationsAndNeverShowThePassword() {
        ReleaseRef release = release();
        URI own = URI.create(ownDatabaseUrl.substring("jdbc:".length()));
        String url = "postgres://postgres:" + PASSWORD + "@" + own.getHost() + ":" + own.getPort() + "/" + productionName;
        publish(release, env(Map.of("DATABASE_URL", url)), List.of());

        MigrationFailed failed = kafka.await(MigrationFailed.class, release.id(), TIMEOUT);

        assertThat(failed.reason()).contains("env DATABASE_URL").contains("postgresql://postgres:***@")
                .contains("stamped production").doesNotContain(PASSWORD);
        assertThat(kafka.typesOf(release.id(), Topics.MIGRATIONS)).containsExactly("dev.switchback.migration.failed");
        String raw = kafka.all().stream()
                .filter(seen -> !seen.topic().equals(Topics.RELEASES) && seen.value().contains(release.id()))
                .map(KafkaEvents.Seen::value).reduce("", String::concat);
        assertThat(raw).as("the password is in no event the migrator published").doesNotContain(PASSWORD).isNotEmpty();
    }

    @Test
    void shouldRefuseAGreenWhoseNamedSettingsPointAtProduction() throws SQLException {
        URI own = URI.create(ownDatabaseUrl.substring("jdbc:".length()));
        ReleaseRef release = release();
        RuntimeSpec runtime = new RuntimeSpec("process", List.of("java", "-jar", "{artifact}"),
                Map.of("DB_HOST", own.getHost(), "DB_PORT", Integer.toString(own.getPort()), "DB_NAME", productionName,
                        "DB_PASSWORD", PASSWORD),
                Map.of("host", "DB_HOST", "port", "DB_PORT", "name", "DB_NAME", "password", "DB_PASSWORD"));
        publish(release, runtime, List.of(new Migration("1", "create", CREATE)));

        MigrationFailed failed = kafka.await(MigrationFailed.class, release.id(), TIMEOUT);

        assertThat(failed.reason()).contains("databaseEnv").contains(productionName).contains("stamped production")
                .doesNotContain(PASSWORD);
        assertThat(tables(stagingUrl)).isEmpty();
    }

    @Test
    void shouldPassAGreenPointedAtItsOwnDatabaseInEveryForm() throws SQLException {
        ReleaseRef withMigrations = release();
        publish(withMigrations, env(Map.of("DB_URL", stagingUrl, "DSN", keywords(stagingUrl))),
                List.of(new Migration("1", "create", CREATE)));
        assertThat(kafka.await(MigrationSucceeded.class, withMigrations.id(), TIMEOUT).applied()).containsExactly("1");
        assertThat(tables(stagingUrl)).contains("notes");

        ReleaseRef without = release();
        publish(without, env(Map.of("DB_URL", stagingUrl)), List.of());
        assertThat(kafka.await(MigrationSkipped.class, without.id(), TIMEOUT).reason()).contains("no migrations");
    }

    @Test
    void shouldRefuseAnAddressItCannotReadOrThatIsNotPostgresql() {
        ReleaseRef unreadable = release();
        publish(unreadable, env(Map.of("DB_URL", "jdbc:postgresql://${DB_HOST}/orders?password=" + PASSWORD)), List.of());
        assertThat(kafka.await(MigrationFailed.class, unreadable.id(), TIMEOUT).reason()).contains("fence")
                .contains("env DB_URL").contains("refused").doesNotContain(PASSWORD);

        ReleaseRef mysql = release();
        publish(mysql, env(Map.of("DB_URL", "jdbc:mysql://db:3306/orders")), List.of());
        assertThat(kafka.await(MigrationFailed.class, mysql.id(), TIMEOUT).reason()).contains("PostgreSQL databases only");
    }

    @Test
    void shouldRefuseAnotherDatabaseCarryingACopiedStamp() throws SQLException {
        // A restored dump carries the stamp, but not the stamped database's identity.
        String copy = createDatabase("c_" + id);
        execute(copy, "CREATE SCHEMA switchback; CREATE TABLE switchback.stamp (service TEXT, environment TEXT);"
                + " INSERT INTO switchback.stamp VALUES ('" + service + "', 'staging')");
        ReleaseRef release = release();
        publish(release, env(Map.of("DB_URL", copy)), List.of());

        assertThat(kafka.await(MigrationFailed.class, release.id(), TIMEOUT).reason()).contains("not the one stamped");
    }

    @Test
    void shouldPassAReleaseWithNeitherATargetDatabaseNorAddresses() {
        ReleaseRef release = release();
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, new ReleaseSpec("app.jar",
                env(Map.of("GREETING", "hello")), new RouterSpec("embedded", 9999), new HealthSpec("/health", 10), null,
                List.of())));

        assertThat(kafka.await(MigrationSkipped.class, release.id(), TIMEOUT)).isNotNull();
    }

    private ReleaseRef release() {
        return new ReleaseRef(UUID.randomUUID().toString(), service, "staging", "2.0.0");
    }

    private void publish(ReleaseRef release, RuntimeSpec runtime, List<Migration> migrations) {
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, new ReleaseSpec("app.jar", runtime,
                new RouterSpec("embedded", 9999), new HealthSpec("/health", 10),
                new DatabaseSpec(stagingUrl, "postgres", null), migrations)));
    }

    private static RuntimeSpec env(Map<String, String> env) {
        return new RuntimeSpec("process", List.of("java", "-jar", "{artifact}"), env);
    }

    private static String keywords(String jdbcUrl) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        return "host=" + uri.getHost() + " port=" + uri.getPort() + " dbname='" + uri.getPath().substring(1) + "' user=postgres";
    }

    private void stamp(String environment, String url) {
        given().contentType(ContentType.JSON).body("{\"service\":\"" + service + "\",\"environment\":\"" + environment
                + "\",\"url\":\"" + url + "\",\"username\":\"postgres\"}").post("/databases/stamp").then().statusCode(200);
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> tables(String url) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
