package dev.switchback.migrator;

import dev.switchback.events.Migration;
import dev.switchback.events.MigrationFailed;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.events.Topics;
import dev.switchback.events.UnsafeOverride;
import dev.switchback.migrator.support.MigratorTest;
import dev.switchback.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.switchback.migrator.support.TargetDatabases.count;
import static dev.switchback.migrator.support.TargetDatabases.database;
import static dev.switchback.migrator.support.TargetDatabases.spec;
import static org.assertj.core.api.Assertions.assertThat;

/** An approved override lets its rule's violations through and is recorded; an unapproved one is refused. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "db_migrator_test"))
class OverrideTest extends MigratorTest {

    @Override
    protected String servicePrefix() {
        return "ovr";
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(45);
    private static final List<UnsafeOverride> SMALL_TABLE = List.of(new UnsafeOverride("require-concurrent-index-creation",
            "tags has 40 rows; the lock lasts milliseconds"));
    /** INDEX: an index built without CONCURRENTLY on a table that exists before the release. */
    private static final List<Migration> INDEX = List.of(
            new Migration("1", "add label", "ALTER TABLE tags ADD COLUMN label TEXT"),
            new Migration("2", "index tags", "CREATE INDEX tags_name ON tags (name)"));
    private String targetUrl;

    @BeforeEach
    void setUp() throws SQLException {
        targetUrl = createDatabase("t_" + id);
        dev.switchback.migrator.support.TargetDatabases.stamp(service, "test", targetUrl);
        dev.switchback.migrator.support.TargetDatabases.execute(targetUrl, "CREATE TABLE tags (name TEXT);"
                + " INSERT INTO tags SELECT 'tag ' || g FROM generate_series(1, 40) g");
    }

    @Test
    void shouldApplyAnApprovedOverrideAndRecordWhatItLetThrough() throws SQLException {
        ReleaseRef release = release("1.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(database(targetUrl), INDEX, SMALL_TABLE),
                "alice", "bob"));

        MigrationSucceeded succeeded = kafka.await(MigrationSucceeded.class, release.id(), TIMEOUT);

        assertThat(succeeded.applied()).containsExactly("1", "2");
        assertThat(succeeded.overridden()).singleElement().asString()
                .contains("migration 2", "require-concurrent-index-creation", "CREATE INDEX tags_name");
        assertThat(count(targetUrl, "SELECT count(*) FROM pg_class WHERE relname = 'tags_name'")).isOne();
    }

    @Test
    void shouldRefuseAnOverrideThatCarriesNoApprovalBeforeTouchingTheDatabase() throws SQLException {
        ReleaseRef release = release("1.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(database(targetUrl), INDEX, SMALL_TABLE),
                "alice", null));

        assertThat(kafka.await(MigrationFailed.class, release.id(), TIMEOUT).reason())
                .contains("require-concurrent-index-creation", "no approval");
        assertThat(kafka.typesOf(release.id(), Topics.MIGRATIONS)).containsExactly("dev.switchback.migration.failed");
        assertThat(count(targetUrl, "SELECT count(*) FROM pg_class WHERE relname = 'tags_name'")).isZero();
        assertThat(count(targetUrl, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'tags'"
                + " AND column_name = 'label'")).isZero();
    }

    @Test
    void shouldStillRefuseARuleThatIsNotOverridden() {
        ReleaseRef release = release("1.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(database(targetUrl), INDEX,
                List.of(new UnsafeOverride("drop-table", "not this one"))), "alice", "bob"));

        assertThat(kafka.await(MigrationFailed.class, release.id(), TIMEOUT).reason())
                .contains("refused by the lint", "require-concurrent-index-creation");
    }

    private ReleaseRef release(String version) {
        return new ReleaseRef(UUID.randomUUID().toString(), service, "test", version);
    }
}
