package dev.switchback.migrator;

import dev.switchback.events.BackfillProgressed;
import dev.switchback.events.CloudEvent;
import dev.switchback.events.Migration;
import dev.switchback.events.MigrationFailed;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.migrator.support.MigratorTest;
import dev.switchback.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.switchback.migrator.support.TargetDatabases.connect;
import static dev.switchback.migrator.support.TargetDatabases.count;
import static dev.switchback.migrator.support.TargetDatabases.database;
import static dev.switchback.migrator.support.TargetDatabases.execute;
import static dev.switchback.migrator.support.TargetDatabases.spec;
import static org.assertj.core.api.Assertions.assertThat;

/** Backfills run in batches against a real PostgreSQL, each batch its own transaction, resuming where they stopped. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "db_migrator_test"))
class BackfillTest extends MigratorTest {

    @Override
    protected String servicePrefix() {
        return "bf";
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int ROWS = 10_000;
    private static final Migration ADD_DOUBLED = new Migration("1", "add doubled", "ALTER TABLE items ADD COLUMN doubled INT");
    private static final String FILL_DOUBLED = "UPDATE items SET doubled = v * 2 WHERE doubled IS NULL";
    private String targetUrl;

    @BeforeEach
    void setUp() throws SQLException {
        targetUrl = createDatabase("t_" + id);
        dev.switchback.migrator.support.TargetDatabases.stamp(service, "test", targetUrl);
        execute(targetUrl, "CREATE TABLE items (id INT PRIMARY KEY, v INT NOT NULL);"
                + " INSERT INTO items SELECT g, g FROM generate_series(1, " + ROWS + ") g");
    }

    @Test
    void shouldUpdateTenThousandRowsInBatchesOfFiveHundredEachItsOwnTransaction() throws Exception {
        Set<Long> seenMidway = new ConcurrentSkipListSet<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> watch(seenMidway, watching));
        watcher.start();
        ReleaseRef release = release("1.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(database(targetUrl),
                List.of(ADD_DOUBLED, backfill("2", FILL_DOUBLED, 500, 25)), List.of())));

        MigrationSucceeded succeeded = kafka.await(MigrationSucceeded.class, release.id(), TIMEOUT);
        watching.set(false);
        watcher.join();

        assertThat(succeeded.applied()).containsExactly("1", "2");
        assertThat(count(targetUrl, "SELECT count(*) FROM items WHERE doubled = v * 2")).isEqualTo(ROWS);
        // Every row carries the id of the transaction that wrote it: 20 distinct ones, one per batch of 500.
        assertThat(count(targetUrl, "SELECT count(DISTINCT xmin::text) FROM items")).isEqualTo(ROWS / 500);
        assertThat(seenMidway).as("another session saw batches commit one by one while the backfill ran")
                .anyMatch(n -> n > 0 && n < ROWS).allMatch(n -> n % 500 == 0);
        List<BackfillProgressed> progress = progress(release);
        assertThat(progress).last().satisfies(last -> {
            assertThat(last.done()).isTrue();
            assertThat(last.batches()).isEqualTo(ROWS / 500);
            assertThat(last.rows()).isEqualTo(ROWS);
            assertThat(last.matchedAtStart()).isEqualTo(ROWS);
        });
        assertThat(progress).as("every few batches, not per batch").hasSizeLessThan(ROWS / 500);
        assertThat(count(targetUrl, "SELECT count(*) FROM switchback_schema_history WHERE version = '2' AND success"))
                .isOne();
    }

    @Test
    void shouldFailCleanlyWhenTheWhereKeepsMatchingTheRowsItChanged() throws SQLException {
        execute(targetUrl, ADD_DOUBLED.sql());
        ReleaseRef release = release("1.0.0");
        kafka.publish("/switchback/release-api", new ReleaseStarted(release, spec(database(targetUrl),
                List.of(backfill("2", "UPDATE items SET doubled = 1 WHERE doubled IS DISTINCT FROM 2", 500, 0)),
                List.of())));

        MigrationFailed failed = kafka.await(MigrationFailed.class, release.id(), TIMEOUT);

        assertThat(failed.migrationVersion()).isEqualTo("2");
        assertThat(failed.reason()).contains("still match its WHERE", "rolled back");
        assertThat(count(targetUrl, "SELECT count(*) FROM items WHERE doubled IS NOT NULL")).isZero();
        assertThat(count(targetUrl, "SELECT count(*) FROM switchback_schema_history WHERE version = '2'")).isZero();
    }

    @Test
    void shouldGiveUpOnABatchThatKeepsTimingOutOnALockAndResumeWhereItStoppedNextTime() throws Exception {
        execute(targetUrl, ADD_DOUBLED.sql());
        List<Migration> migrations = List.of(backfill("2", FILL_DOUBLED, 500, 0));
        ReleaseRef first = release("1.0.0");
        long firstRunDone;
        try (Connection holder = connect(targetUrl)) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("SELECT * FROM items WHERE id = 5000 FOR UPDATE");
            kafka.publish("/switchback/release-api", new ReleaseStarted(first, spec(database(targetUrl), migrations, List.of())));

            MigrationFailed failed = kafka.await(MigrationFailed.class, first.id(), TIMEOUT);

            assertThat(failed.reason()).contains("gave up after 5 tries of one batch", "row lock");
            firstRunDone = count(targetUrl, "SELECT count(*) FROM items WHERE doubled IS NOT NULL");
            assertThat(firstRunDone).as("the batches before the locked row stay committed").isPositive().isLessThan(5000);
            assertThat(firstRunDone % 500).isZero();
            holder.rollback();
        }
        long firstRowXmin = count(targetUrl, "SELECT xmin::text::bigint FROM items WHERE id = 1");
        assertThat(count(targetUrl, "SELECT count(*) FROM switchback_schema_history WHERE version = '2'")).isZero();

        ReleaseRef second = release("1.0.1");
        CloudEvent<SwitchbackEvent> resumed = kafka.publish("/switchback/release-api",
                new ReleaseStarted(second, spec(database(targetUrl), migrations, List.of())));
        assertThat(kafka.await(MigrationSucceeded.class, second.id(), TIMEOUT).applied()).containsExactly("2");

        assertThat(count(targetUrl, "SELECT count(*) FROM items WHERE doubled = v * 2")).isEqualTo(ROWS);
        assertThat(count(targetUrl, "SELECT xmin::text::bigint FROM items WHERE id = 1"))
                .as("a row the first run changed is not changed again").isEqualTo(firstRowXmin);
        assertThat(progress(second)).last().satisfies(last -> {
            assertThat(last.matchedAtStart()).isEqualTo(ROWS - firstRunDone);
            assertThat(last.rows()).isEqualTo(ROWS - firstRunDone);
        });

        // Finished now: shipped again, it is found in the history and never runs again.
        kafka.republish(resumed);
        ReleaseRef third = release("1.0.2");
        kafka.publish("/switchback/release-api", new ReleaseStarted(third, spec(database(targetUrl), migrations, List.of())));
        assertThat(kafka.await(MigrationSucceeded.class, third.id(), TIMEOUT).applied()).isEmpty();
        assertThat(progress(third)).isEmpty();
        assertThat(count(targetUrl, "SELECT xmin::text::bigint FROM items WHERE id = 1")).isEqualTo(firstRowXmin);
    }

    private void watch(Set<Long> seen, AtomicBoolean watching) {
        try (Connection c = connect(targetUrl)) {
            while (watching.get()) {
                try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM items WHERE doubled IS NOT NULL")) {
                    rs.next();
                    seen.add(rs.getLong(1));
                } catch (SQLException e) {
                    // The column does not exist until migration 1 ran.
                }
                Thread.sleep(5);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<BackfillProgressed> progress(ReleaseRef release) {
        return kafka.ofRelease(release.id()).stream().map(CloudEvent::data)
                .filter(BackfillProgressed.class::isInstance).map(BackfillProgressed.class::cast).toList();
    }

    private static Migration backfill(String version, String sql, int batchSize, int pauseMillis) {
        return new Migration(version, "backfill", sql, Migration.BACKFILL, batchSize, pauseMillis);
    }

    private ReleaseRef release(String version) {
        return new ReleaseRef(UUID.randomUUID().toString(), service, "test", version);
    }
}
