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
import dev.switchback.migrator.support.MigratorTest;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.Callers;
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
import static org.hamcrest.Matchers.containsString;

/**
 * The db-migrator against real target databases, driven through the real broker: Flyway runs, the lint and the
 * wrong-database fence refuse before any statement, and lock timeouts are retried.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "db_migrator_test"))
class MigrationServiceTest extends MigratorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(45);
    private String targetUrl;

    @BeforeEach
    void setUp() throws SQLException {
        targetUrl = createDatabase("t_" + id);
    }

    @Test
    void shouldApplyMigrationsAndSayWhichVersionsRan() throws SQLException {
        stamp(service, "test", targetUrl);
        ReleaseRef release = release("test", "1.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(targetUrl, List.of(
                new Migration("1", "create notes", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)"),
                new Migration("2", "add author", "ALTER TABLE notes ADD COLUMN author TEXT")))));

        MigrationSucceeded succeeded = kafka.await(MigrationSucceeded.class, release.id(), TIMEOUT);

        assertThat(succeeded.applied()).containsExactly("1", "2");
        assertThat(succeeded.toSchemaVersion()).isEqualTo("2");
        assertThat(succeeded.outcomes()).extracting(o -> o.description()).containsExactly("create notes", "add author");
        assertThat(succeeded.spec().artifact()).isEqualTo("app.jar");
        assertThat(columns(targetUrl, "notes")).containsExactly("id", "body", "author");
        assertThat(kafka.typesOf(release.id(), Topics.MIGRATIONS))
                .containsExactly("dev.switchback.migration.started", "dev.switchback.migration.succeeded");
    }

    @Test
    void shouldNotRunAMigrationTwiceWhenTheReleaseIsDeliveredAgainOrResent() throws SQLException {
        stamp(service, "test", targetUrl);
        ReleaseRef first = release("test", "1.0.0");
        List<Migration> migrations = List.of(new Migration("1", "create t", "CREATE TABLE t (id INT)"),
                new Migration("2", "counter", "INSERT INTO t VALUES (1)"));
        CloudEvent<SwitchbackEvent> event = kafka.publish("/switchback/release-api", new ReleaseStarted(first, spec(targetUrl, migrations)));
        kafka.await(MigrationSucceeded.class, first.id(), TIMEOUT);
        kafka.republish(event);
        ReleaseRef second = release("test", "1.0.1");
        kafka.publish("/switchback/release-api", new ReleaseStarted(second, spec(targetUrl, migrations)));
        // An older version shipped again carries only its own, older migration.
        ReleaseRef older = release("test", "0.9.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(older, spec(targetUrl, migrations.subList(0, 1))));

        assertThat(kafka.await(MigrationSucceeded.class, second.id(), TIMEOUT).applied()).isEmpty();
        assertThat(kafka.await(MigrationSucceeded.class, older.id(), TIMEOUT).applied()).isEmpty();
        assertThat(count(targetUrl, "SELECT count(*) FROM t")).isEqualTo(1);
        assertThat(count(targetUrl, "SELECT count(*) FROM switchback_schema_history WHERE version IN ('1', '2')")).isEqualTo(2);
        assertThat(kafka.typesOf(first.id(), Topics.MIGRATIONS)).hasSize(2);
    }

    @Test
    void shouldFailTheReleaseWhenAMigrationFailsAndLeaveNothingHalfDone() throws SQLException {
        stamp(service, "test", targetUrl);
        ReleaseRef release = release("test", "1.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(targetUrl, List.of(
                new Migration("1", "create", "CREATE TABLE a (id INT)"),
                new Migration("2", "broken", "CREATE TABLE b (id INT); INSERT INTO a VALUES ('not a number')")))));

        MigrationFailed failed = kafka.await(MigrationFailed.class, release.id(), TIMEOUT);

        assertThat(failed.migrationVersion()).isEqualTo("2");
        assertThat(failed.reason()).contains("not a number");
        assertThat(tables(targetUrl)).contains("a").doesNotContain("b");
    }

    @Test
    void shouldSkipAReleaseWithoutMigrations() {
        // Every release is fenced, with migrations or without: its target database carries the release's stamp.
        stamp(service, "test", targetUrl);
        ReleaseRef release = release("test", "1.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(targetUrl, List.of())));

        assertThat(kafka.await(MigrationSkipped.class, release.id(), TIMEOUT).reason()).contains("no migrations");
    }

    @Test
    void shouldRefuseUnsafeDdlBeforeTouchingTheDatabase() throws SQLException {
        stamp(service, "test", targetUrl);
        execute(targetUrl, "CREATE TABLE notes (id INT, body TEXT)");
        ReleaseRef release = release("test", "1.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(targetUrl, List.of(
                new Migration("1", "drop body", "ALTER TABLE notes DROP COLUMN body")))));

        MigrationFailed failed = kafka.await(MigrationFailed.class, release.id(), TIMEOUT);

        assertThat(failed.reason()).contains("refused by the lint").contains("drop-column");
        assertThat(columns(targetUrl, "notes")).containsExactly("id", "body");
        assertThat(tables(targetUrl)).doesNotContain("switchback_schema_history");
    }

    @Test
    void shouldRefuseAnUnstampedDatabase() throws SQLException {
        ReleaseRef release = release("test", "1.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(targetUrl, List.of(
                new Migration("1", "create", "CREATE TABLE a (id INT)")))));

        assertThat(kafka.await(MigrationFailed.class, release.id(), TIMEOUT).reason()).contains("fence").contains("not stamped");
        assertThat(tables(targetUrl)).isEmpty();
    }

    @Test
    void shouldRefuseAStagingReleaseWhoseUrlPointsAtTheProductionDatabase() throws SQLException {
        stamp(service, "production", targetUrl);
        execute(targetUrl, "CREATE TABLE orders (id INT)");
        ReleaseRef staging = release("staging", "2.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(staging, spec(targetUrl, List.of(
                new Migration("7", "add column", "ALTER TABLE orders ADD COLUMN note TEXT")))));

        MigrationFailed failed = kafka.await(MigrationFailed.class, staging.id(), TIMEOUT);

        assertThat(failed.reason()).contains("fence").contains("stamped production").contains("staging release");
        assertThat(columns(targetUrl, "orders")).containsExactly("id");
        assertThat(tables(targetUrl)).containsExactly("orders");
        assertThat(kafka.typesOf(staging.id(), Topics.MIGRATIONS)).containsExactly("dev.switchback.migration.failed");
    }

    @Test
    void shouldRefuseADatabaseStampedForAnotherServiceAndRefuseToRestampIt() throws SQLException {
        stamp("other-" + service, "test", targetUrl);
        ReleaseRef release = release("test", "1.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(targetUrl, List.of(
                new Migration("1", "create", "CREATE TABLE a (id INT)")))));

        assertThat(kafka.await(MigrationFailed.class, release.id(), TIMEOUT).reason()).contains("stamped for other-" + service);
        given().contentType(ContentType.JSON).body(stampBody(service, "test", targetUrl)).post("/databases/stamp")
                .then().statusCode(409).contentType("application/problem+json").body("detail", containsString("not restamped"));
        // Stamping is an admin's call, in the admin's environments.
        given().header("Authorization", "").contentType(ContentType.JSON).body(stampBody(service, "test", targetUrl))
                .post("/databases/stamp").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", Callers.bearer("ci", "releaser")).contentType(ContentType.JSON)
                .body(stampBody(service, "test", targetUrl)).post("/databases/stamp").then().statusCode(403);
        given().header("Authorization", "Bearer " + dev.switchback.infra.auth.Tokens.forTests().token("staging-admin",
                        List.of("admin"), List.of("staging"), java.time.Duration.ofMinutes(5)))
                .contentType(ContentType.JSON).body(stampBody(service, "test", targetUrl)).post("/databases/stamp")
                .then().statusCode(403).body("detail", containsString("staging"));
        given().contentType(ContentType.JSON).body("{\"service\":\"Bad Name\",\"url\":\"mysql://x\"}").post("/databases/stamp")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", org.hamcrest.Matchers.hasItems("service", "environment", "url", "username"));
        assertThat(tables(targetUrl)).isEmpty();
        // Stamps and refused restamps are in the migrator's audit trail under the caller's token subject.
        String trail = given().get("/audit").then().statusCode(200).extract().asString();
        assertThat(trail.lines().filter(line -> line.contains("\"service\":\"other-" + service + "\"")))
                .anySatisfy(line -> assertThat(line).contains("\"action\":\"database.stamped\"", "\"actor\":\"ci\""));
        assertThat(trail.lines().filter(line -> line.contains("\"service\":\"" + service + "\"")))
                .anySatisfy(line -> assertThat(line).contains("\"action\":\"database.refused\"", "\"actor\":\"ci\"",
                        "already stamped for other-" + service));
        given().get("/audit/verify").then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("ok"));
    }

    @Test
    void shouldRefuseADatabaseWhoseIdentityIsNotTheStampedOne() throws SQLException {
        stamp(service, "test", targetUrl);
        // Another database carrying a copy of the stamp, as a restored dump would.
        String copyUrl = createDatabase("c_" + id);
        execute(copyUrl, "CREATE SCHEMA switchback; CREATE TABLE switchback.stamp (service TEXT, environment TEXT);"
                + " INSERT INTO switchback.stamp VALUES ('" + service + "', 'test')");
        ReleaseRef release = release("test", "1.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(copyUrl, List.of(
                new Migration("1", "create", "CREATE TABLE a (id INT)")))));

        assertThat(kafka.await(MigrationFailed.class, release.id(), TIMEOUT).reason()).contains("not the one stamped");
        assertThat(tables(copyUrl)).isEmpty();
    }

    @Test
    void shouldRetryALockTimeoutUntilTheLockIsReleased() throws Exception {
        stamp(service, "test", targetUrl);
        execute(targetUrl, "CREATE TABLE hot (id INT)");
        try (Connection holder = lockExclusively(targetUrl, "hot")) {
            ReleaseRef release = release("test", "1.0.0");
            kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(targetUrl, List.of(
                    new Migration("1", "add column", "ALTER TABLE hot ADD COLUMN note TEXT")))));
            Thread.sleep(1500);
            assertThat(kafka.typesOf(release.id(), Topics.MIGRATIONS)).as("still retrying while the lock is held").isEmpty();
            holder.rollback();

            assertThat(kafka.await(MigrationSucceeded.class, release.id(), TIMEOUT).applied()).containsExactly("1");
        }
        assertThat(columns(targetUrl, "hot")).containsExactly("id", "note");
    }

    @Test
    void shouldFailCleanlyWhenTheLockIsNeverReleased() throws Exception {
        stamp(service, "test", targetUrl);
        execute(targetUrl, "CREATE TABLE hot (id INT)");
        try (Connection holder = lockExclusively(targetUrl, "hot")) {
            ReleaseRef release = release("test", "1.0.0");
            kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(targetUrl, List.of(
                    new Migration("1", "add column", "ALTER TABLE hot ADD COLUMN note TEXT")))));

            MigrationFailed failed = kafka.await(MigrationFailed.class, release.id(), TIMEOUT);

            assertThat(failed.reason()).contains("gave up after 5 tries").contains("waiting 300 ms for a lock");
            holder.rollback();
        }
        assertThat(columns(targetUrl, "hot")).containsExactly("id");
        assertThat(count(targetUrl, "SELECT count(*) FROM switchback_schema_history WHERE version = '1'")).isZero();
    }

    @Test
    void shouldUseTheLockTimeoutOfTheServiceSpec() throws Exception {
        stamp(service, "test", targetUrl);
        execute(targetUrl, "CREATE TABLE hot (id INT)");
        try (Connection holder = lockExclusively(targetUrl, "hot")) {
            ReleaseRef release = release("test", "1.0.0");
            ReleaseSpec spec = spec(targetUrl, List.of(new Migration("1", "add column", "ALTER TABLE hot ADD COLUMN note TEXT")));
            spec = new ReleaseSpec(spec.artifact(), spec.runtime(), spec.router(), spec.health(),
                    new DatabaseSpec(targetUrl, "postgres", null, 50), spec.migrations());
            kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec));

            assertThat(kafka.await(MigrationFailed.class, release.id(), TIMEOUT).reason()).contains("waiting 50 ms for a lock");
            holder.rollback();
        }
    }

    @Test
    void shouldBuildAnIndexConcurrentlyOutsideATransaction() throws Exception {
        stamp(service, "test", targetUrl);
        execute(targetUrl, "CREATE TABLE people (email TEXT); INSERT INTO people SELECT 'p' || g FROM generate_series(1, 1000) g");
        ReleaseRef release = release("test", "1.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(targetUrl, List.of(
                new Migration("1", "add column", "ALTER TABLE people ADD COLUMN name TEXT"),
                new Migration("2", "index email", "CREATE INDEX CONCURRENTLY people_email ON people (email)")))));

        MigrationSucceeded succeeded = kafka.await(MigrationSucceeded.class, release.id(), TIMEOUT);

        assertThat(succeeded.applied()).containsExactly("1", "2");
        assertThat(count(targetUrl, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE c.relname = 'people_email' AND i.indisvalid")).isEqualTo(1);
    }

    @Test
    void shouldDropTheInvalidIndexLeftByAFailedConcurrentBuild() throws Exception {
        stamp(service, "test", targetUrl);
        execute(targetUrl, "CREATE TABLE people (email TEXT); INSERT INTO people VALUES ('a@x'), ('a@x')");
        ReleaseRef release = release("test", "1.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(targetUrl, List.of(
                new Migration("1", "unique email", "CREATE UNIQUE INDEX CONCURRENTLY people_email ON people (email)")))));

        assertThat(kafka.await(MigrationFailed.class, release.id(), TIMEOUT).reason()).contains("duplicate");
        assertThat(count(targetUrl, "SELECT count(*) FROM pg_class WHERE relname = 'people_email'")).isZero();
        assertThat(count(targetUrl, "SELECT count(*) FROM switchback_schema_history WHERE NOT success")).isZero();
    }

    /** A session holding an ACCESS EXCLUSIVE lock on the table until it rolls back or closes. */
    private static Connection lockExclusively(String url, String table) throws SQLException {
        Connection holder = DriverManager.getConnection(url, "postgres", "");
        holder.setAutoCommit(false);
        holder.createStatement().execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        return holder;
    }

    private ReleaseRef release(String environment, String version) {
        return new ReleaseRef(UUID.randomUUID().toString(), service, environment, version);
    }

    private static ReleaseSpec spec(String url, List<Migration> migrations) {
        return new ReleaseSpec("app.jar", new RuntimeSpec("process", List.of("java", "-jar", "{artifact}"), Map.of()),
                new RouterSpec("embedded", 9999), new HealthSpec("/health", 10),
                new DatabaseSpec(url, "postgres", null), migrations);
    }

    private static void stamp(String service, String environment, String url) {
        given().contentType(ContentType.JSON).body(stampBody(service, environment, url)).post("/databases/stamp")
                .then().statusCode(200);
    }

    private static String stampBody(String service, String environment, String url) {
        return "{\"service\":\"" + service + "\",\"environment\":\"" + environment + "\",\"url\":\"" + url
                + "\",\"username\":\"postgres\"}";
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> columns(String url, String table) throws SQLException {
        return strings(url, "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
                + " AND table_name = '" + table + "' ORDER BY ordinal_position");
    }

    private static List<String> tables(String url) throws SQLException {
        return strings(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
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

    private static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
