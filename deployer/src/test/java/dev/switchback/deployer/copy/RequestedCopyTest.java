package dev.switchback.deployer.copy;

import dev.switchback.deployer.DeployerTest;
import dev.switchback.deployer.copy.service.CopyRetention;
import dev.switchback.deployer.copy.service.RequestedCopies;
import dev.switchback.events.CloudEvent;
import dev.switchback.events.CopyCreated;
import dev.switchback.events.CopyRetireRequested;
import dev.switchback.events.CopyRetired;
import dev.switchback.events.CopyStartFailed;
import dev.switchback.events.CopyStarted;
import dev.switchback.events.HealthSpec;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.RouterSpec;
import dev.switchback.events.RuntimeSpec;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.events.Topics;
import dev.switchback.infra.InfraTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The deployer's half of a copy an admin asked for, with the real sample-app, PostgreSQL and broker: the release's
 * version runs against the schema copy (its writes land there, not in production), health-gated, once however often
 * its event comes, and is retired at its expiry or on request; a copy retired before its start never starts.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "deployer_test"))
class RequestedCopyTest extends DeployerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path SAMPLE_JAR = Path.of("../sample-app/target/sample-app.jar").toAbsolutePath().normalize();
    private static final String NOTES = "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String ownDatabaseUrl;
    @Inject
    CopyRetention retention;
    @Inject
    RequestedCopies copies;

    private String liveUrl;
    private ReleaseRef release;

    @BeforeEach
    void setUp() throws SQLException {
        liveUrl = database("l_" + id, NOTES);
        release = new ReleaseRef(UUID.randomUUID().toString(), service, "test", "1.7.0");
    }

    @Test
    void shouldRunTheReleasesVersionOnTheCopyDatabaseOnlyAndRetireItWhenItsRetentionEnds() throws Exception {
        String copyId = UUID.randomUUID().toString();
        String copyUrl = database("c_" + id, NOTES);
        kafka.publish("/switchback/db-migrator", created(copyId, copyUrl, Duration.ofSeconds(8)));

        CopyStarted started = kafka.await(CopyStarted.class, release.id(), s -> s.copyId().equals(copyId), TIMEOUT);
        assertThat(get(started.endpoint() + "/version").body()).isEqualTo("1.7.0");
        assertThat(post(started.endpoint() + "/notes", "written through the copy").statusCode()).isEqualTo(201);

        assertThat(count(copyUrl, "SELECT count(*) FROM notes")).isEqualTo(1);
        assertThat(count(liveUrl, "SELECT count(*) FROM notes")).as("production untouched").isZero();
        assertThat(started.instanceId()).isEqualTo(RequestedCopies.instanceId(release, copyId));

        CopyRetired retired = kafka.await(CopyRetired.class, release.id(), r -> r.copyId().equals(copyId), TIMEOUT);
        assertThat(retired.reason()).contains("retention ended");
        assertThat(answers(started.endpoint() + "/version")).as("the copy is stopped").isFalse();
    }

    @Test
    void shouldStartOneCopyWhenItsEventIsRedelivered() throws Exception {
        String copyId = UUID.randomUUID().toString();
        CloudEvent<SwitchbackEvent> event = kafka.publish("/switchback/db-migrator",
                created(copyId, database("c_" + id, NOTES), Duration.ofMinutes(5)));
        CopyStarted started = kafka.await(CopyStarted.class, release.id(), s -> s.copyId().equals(copyId), TIMEOUT);

        kafka.republish(event);
        kafka.publish("/switchback/release-api", new CopyRetireRequested(release, copyId, "done", "ops"));
        kafka.await(CopyRetired.class, release.id(), r -> r.copyId().equals(copyId), TIMEOUT);

        assertThat(kafka.typesOf(release.id(), Topics.DEPLOYMENTS)).containsOnlyOnce("dev.switchback.deployment.copy-started");
        assertThat(answers(started.endpoint() + "/version")).isFalse();
    }

    @Test
    void shouldRetireOnRequestOnceAndNeverStartACopyRetiredBeforeItsStart() throws Exception {
        String early = UUID.randomUUID().toString();
        kafka.publish("/switchback/release-api", new CopyRetireRequested(release, early, "not needed", "ops"));
        kafka.await(CopyRetired.class, release.id(), r -> r.copyId().equals(early), TIMEOUT);
        kafka.publish("/switchback/db-migrator", created(early, database("c_" + id, NOTES), Duration.ofMinutes(5)));

        String running = UUID.randomUUID().toString();
        kafka.publish("/switchback/db-migrator", created(running, database("d_" + id, NOTES), Duration.ofMinutes(5)));
        CopyStarted started = kafka.await(CopyStarted.class, release.id(), s -> s.copyId().equals(running), TIMEOUT);
        CloudEvent<SwitchbackEvent> retire = kafka.publish("/switchback/release-api",
                new CopyRetireRequested(release, running, "analysis done", "ops"));
        CopyRetired retired = kafka.await(CopyRetired.class, release.id(), r -> r.copyId().equals(running), TIMEOUT);
        kafka.republish(retire);
        Thread.sleep(1000);

        assertThat(retired.reason()).contains("ops").contains("analysis done");
        assertThat(answers(started.endpoint() + "/version")).isFalse();
        assertThat(kafka.ofRelease(release.id()).stream().map(CloudEvent::data).filter(CopyStarted.class::isInstance)
                .map(e -> ((CopyStarted) e).copyId())).as("the copy retired first never started").containsExactly(running);
        assertThat(kafka.typesOf(release.id(), Topics.DEPLOYMENTS).stream()
                .filter("dev.switchback.deployment.copy-retired"::equals)).hasSize(2);
    }

    @Test
    void shouldFailAndStopACopyThatIsNotHealthyOnItsDatabase() {
        String copyId = UUID.randomUUID().toString();
        String broken = liveUrl.substring(0, liveUrl.lastIndexOf('/') + 1) + "postgres";
        kafka.publish("/switchback/db-migrator", created(copyId, broken, Duration.ofMinutes(5), 6));

        CopyStartFailed failed = kafka.await(CopyStartFailed.class, release.id(), f -> f.copyId().equals(copyId), TIMEOUT);

        assertThat(failed.reason()).contains("not healthy");
        assertThat(failed.log()).isNotNull();
    }

    @Test
    void shouldRetireACopyFoundPastItsExpiryFromWhatIsStored() throws Exception {
        String copyId = UUID.randomUUID().toString();
        kafka.publish("/switchback/db-migrator", created(copyId, database("c_" + id, NOTES), Duration.ofMinutes(5)));
        CopyStarted started = kafka.await(CopyStarted.class, release.id(), s -> s.copyId().equals(copyId), TIMEOUT);

        // As a deployer that was down over the expiry finds it: only the stored row says when it ends.
        QuarkusTransaction.requiringNew().run(() -> RequestedCopy.update("expiresAt = ?1 where copyId = ?2",
                Instant.now().minusSeconds(60), copyId));
        retention.retireDue();

        CopyRetired retired = kafka.await(CopyRetired.class, release.id(), r -> r.copyId().equals(copyId), TIMEOUT);
        assertThat(retired.reason()).contains("retention ended");
        assertThat(answers(started.endpoint() + "/version")).isFalse();
        assertThat(QuarkusTransaction.requiringNew().call(() -> RequestedCopy.<RequestedCopy>findById(copyId).state))
                .isEqualTo(RequestedCopy.State.RETIRED);
    }

    @Test
    void shouldStartARunningCopyAgainOnItsEndpointWhenItWasGoneAfterARestart() throws Exception {
        String copyId = UUID.randomUUID().toString();
        String copyUrl = database("c_" + id, NOTES);
        kafka.publish("/switchback/db-migrator", created(copyId, copyUrl, Duration.ofMinutes(5)));
        CopyStarted started = kafka.await(CopyStarted.class, release.id(), s -> s.copyId().equals(copyId), TIMEOUT);
        long pid = Long.parseLong(java.nio.file.Files.readString(Path.of("target/instances")
                .resolve(started.instanceId() + ".pid")).trim());
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroyForcibly();
        process.onExit().join();

        QuarkusTransaction.requiringNew().run(() -> copies.recover(copyId));

        await().atMost(TIMEOUT).until(() -> answers(started.endpoint() + "/version"));
        assertThat(post(started.endpoint() + "/notes", "after the restart").statusCode()).isEqualTo(201);
        assertThat(count(copyUrl, "SELECT count(*) FROM notes")).as("still pointed at the copy").isEqualTo(1);
        assertThat(count(liveUrl, "SELECT count(*) FROM notes")).isZero();
        kafka.publish("/switchback/release-api", new CopyRetireRequested(release, copyId, "done", "ops"));
        kafka.await(CopyRetired.class, release.id(), r -> r.copyId().equals(copyId), TIMEOUT);
        assertThat(answers(started.endpoint() + "/version")).isFalse();
    }

    private CopyCreated created(String copyId, String copyUrl, Duration retention) {
        return created(copyId, copyUrl, retention, 30);
    }

    private CopyCreated created(String copyId, String copyUrl, Duration retention, int healthDeadlineSeconds) {
        ReleaseSpec spec = new ReleaseSpec(SAMPLE_JAR.toString(), new RuntimeSpec("process", List.of("java", "-jar", "{artifact}"),
                Map.of("DB_URL", liveUrl, "DB_USER", "postgres")), new RouterSpec("embedded", 9999),
                new HealthSpec("/health", healthDeadlineSeconds, List.of("/notes")), null, List.of());
        return new CopyCreated(release, copyId, copyUrl, copyUrl.substring(copyUrl.lastIndexOf('/') + 1), spec,
                Instant.now().plus(retention));
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

    private static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean answers(String url) {
        try {
            get(url);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
