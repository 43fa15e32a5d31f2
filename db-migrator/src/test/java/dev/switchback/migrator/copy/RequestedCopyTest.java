package dev.switchback.migrator.copy;

import dev.switchback.events.CloudEvent;
import dev.switchback.events.CopyCreated;
import dev.switchback.events.CopyCreationFailed;
import dev.switchback.events.CopyDropped;
import dev.switchback.events.CopyRequested;
import dev.switchback.events.CopyRetired;
import dev.switchback.events.HealthSpec;
import dev.switchback.events.Migration;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.events.RouterSpec;
import dev.switchback.events.RuntimeSpec;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.events.Topics;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.migrator.fence.service.FenceService;
import dev.switchback.migrator.support.MigratorTest;
import dev.switchback.migrator.support.TargetDatabases;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The migrator's half of a copy an admin asked for, against real PostgreSQL and the real broker: the schema copy is
 * made once (schema and history, no rows, stamped copy), dropped once on the deployer's word or after its retention
 * without it, and a copy retired before its request makes nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "db_migrator_test"))
class RequestedCopyTest extends MigratorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Migration CREATE = new Migration("1", "create notes",
            "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)");

    @Inject
    FenceService fence;

    private String targetUrl;
    private ReleaseRef release;
    private ReleaseSpec spec;

    @BeforeEach
    void shipAReleaseWithARow() throws SQLException {
        targetUrl = createDatabase("t_" + id);
        TargetDatabases.stamp(service, "test", targetUrl);
        release = new ReleaseRef(UUID.randomUUID().toString(), service, "test", "1.4.0");
        spec = TargetDatabases.spec(TargetDatabases.database(targetUrl), List.of(CREATE), List.of());
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec));
        kafka.await(MigrationSucceeded.class, release.id(), TIMEOUT);
        TargetDatabases.execute(targetUrl, "INSERT INTO notes (body) VALUES ('production only')");
    }

    @Test
    void shouldMakeOneSchemaCopyWithNoRowsStampedCopyWhenTheRequestIsRedelivered() throws Exception {
        String copyId = UUID.randomUUID().toString();
        CloudEvent<SwitchbackEvent> request = kafka.publish("/switchback/release-api", request(copyId, Duration.ofMinutes(5)));

        CopyCreated created = kafka.await(CopyCreated.class, release.id(), c -> c.copyId().equals(copyId), TIMEOUT);
        kafka.republish(request);

        assertThat(created.database()).isEqualTo("t_" + id + "_copy_" + copyId.substring(0, 8));
        assertThat(TargetDatabases.count(created.url(), "SELECT count(*) FROM notes")).as("no production row").isZero();
        assertThat(TargetDatabases.count(created.url(), "SELECT count(*) FROM switchback_schema_history WHERE success")).isEqualTo(1);
        assertThat(TargetDatabases.count(created.url(), "SELECT count(*) FROM switchback.stamp WHERE environment = 'copy'")).isEqualTo(1);
        assertThat(created.spec()).isEqualTo(spec);
        Thread.sleep(1000);
        assertThat(kafka.typesOf(release.id(), Topics.MIGRATIONS)).as("one copy for a redelivered request")
                .containsOnlyOnce("dev.switchback.migration.copy-created");
    }

    @Test
    void shouldNeverLetTheFenceTakeTheCopyForProduction() {
        String copyId = UUID.randomUUID().toString();
        kafka.publish("/switchback/release-api", request(copyId, Duration.ofMinutes(5)));
        CopyCreated created = kafka.await(CopyCreated.class, release.id(), c -> c.copyId().equals(copyId), TIMEOUT);

        ReleaseRef production = new ReleaseRef(UUID.randomUUID().toString(), service, "production", "1.4.0");
        ReleaseSpec pointedAtTheCopy = new ReleaseSpec("app.jar", new RuntimeSpec("process", List.of("java", "-jar", "{artifact}"),
                Map.of("DB_URL", created.url(), "DB_USER", "postgres")), new RouterSpec("embedded", 9999),
                new HealthSpec("/health", 10), null, List.of());

        assertThatThrownBy(() -> fence.checkRelease(production, pointedAtTheCopy)).isInstanceOf(FenceService.Refused.class)
                .hasMessageContaining("copy");
    }

    @Test
    void shouldDropTheSchemaCopyOnceWhenTheDeployerRetiresTheCopy() throws Exception {
        String copyId = UUID.randomUUID().toString();
        kafka.publish("/switchback/release-api", request(copyId, Duration.ofMinutes(5)));
        CopyCreated created = kafka.await(CopyCreated.class, release.id(), c -> c.copyId().equals(copyId), TIMEOUT);

        CloudEvent<SwitchbackEvent> retired = kafka.publish("/switchback/deployer",
                new CopyRetired(release, copyId, "copy-1", "retired by an admin"));
        CopyDropped dropped = kafka.await(CopyDropped.class, release.id(), d -> d.copyId().equals(copyId), TIMEOUT);
        kafka.republish(retired);
        kafka.publish("/switchback/deployer", new CopyRetired(release, copyId, "copy-1", "its retention ended"));

        assertThat(dropped.database()).isEqualTo(created.database());
        assertThat(dropped.reason()).contains("retired by an admin");
        assertThat(databaseExists(created.database())).isFalse();
        Thread.sleep(1000);
        assertThat(kafka.typesOf(release.id(), Topics.MIGRATIONS)).as("dropped once")
                .containsOnlyOnce("dev.switchback.migration.copy-dropped");
    }

    @Test
    void shouldDropTheSchemaCopyAfterItsRetentionWhenTheDeployerSaysNothing() throws Exception {
        String copyId = UUID.randomUUID().toString();
        kafka.publish("/switchback/release-api", request(copyId, Duration.ofSeconds(3)));
        CopyCreated created = kafka.await(CopyCreated.class, release.id(), c -> c.copyId().equals(copyId), TIMEOUT);
        assertThat(databaseExists(created.database())).isTrue();

        CopyDropped dropped = kafka.await(CopyDropped.class, release.id(), d -> d.copyId().equals(copyId), TIMEOUT);

        assertThat(dropped.reason()).contains("retention ended");
        assertThat(databaseExists(created.database())).isFalse();
    }

    @Test
    void shouldMakeNothingForACopyRetiredBeforeItsRequestArrived() throws Exception {
        String copyId = UUID.randomUUID().toString();
        kafka.publish("/switchback/deployer", new CopyRetired(release, copyId, "copy-1", "retired by an admin"));
        CopyDropped dropped = kafka.await(CopyDropped.class, release.id(), d -> d.copyId().equals(copyId), TIMEOUT);

        kafka.publish("/switchback/release-api", request(copyId, Duration.ofMinutes(5)));
        Thread.sleep(1500);

        assertThat(dropped.database()).isNull();
        assertThat(kafka.typesOf(release.id(), Topics.MIGRATIONS)).doesNotContain("dev.switchback.migration.copy-created");
        assertThat(databaseExists("t_" + id + "_copy_" + copyId.substring(0, 8))).isFalse();
    }

    @Test
    void shouldFailARequestForAReleaseWithoutATargetDatabase() {
        String copyId = UUID.randomUUID().toString();
        ReleaseSpec noDatabase = TargetDatabases.spec(null, List.of(), List.of());
        kafka.publish("/switchback/release-api", new CopyRequested(release, copyId, noDatabase, null, "ops",
                Instant.now().plus(Duration.ofMinutes(5))));

        CopyCreationFailed failed = kafka.await(CopyCreationFailed.class, release.id(), f -> f.copyId().equals(copyId), TIMEOUT);

        assertThat(failed.reason()).contains("no target database");
    }

    private CopyRequested request(String copyId, Duration retention) {
        return new CopyRequested(release, copyId, spec, "failure analysis", "ops", Instant.now().plus(retention));
    }

    private boolean databaseExists(String name) throws SQLException {
        return TargetDatabases.count(ownDatabaseUrl, "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'") > 0;
    }
}
