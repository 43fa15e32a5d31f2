package dev.switchback.audit;

import dev.switchback.infra.InfraTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hash chains in PostgreSQL: one per service and environment, appended without fork or gap, appends of different
 * chains never waiting on each other, and any edit, deletion, reordering or move named by its first entry.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audit_log"))
class AuditLogTest {

    private static final String SAMPLE_APP = "sample-app";
    private static final String OTHER_APP = "other-app";
    private static final String STAGING = "staging";

    @Inject
    AuditLog audit;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void emptyTrail() throws SQLException {
        sql("DELETE FROM audit_entry");
        sql("ALTER SEQUENCE audit_entry_seq RESTART");
    }

    @Test
    void shouldChainEachEntryToTheOneBeforeOfItsServiceAndEnvironment() {
        UUID release = UUID.randomUUID();
        AuditEntry submit = append("release.submit", SAMPLE_APP, release);
        AuditEntry other = append("release.submit", OTHER_APP, null);
        AuditEntry phase = append("release.phase", SAMPLE_APP, release);
        AuditEntry promote = append("release.promote", SAMPLE_APP, release);

        assertThat(List.of(submit, other, phase, promote)).extracting(e -> e.seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(List.of(submit, phase, promote)).extracting(e -> e.chain).containsOnly("sample-app/staging");
        assertThat(List.of(submit, phase, promote)).extracting(e -> e.position).containsExactly(1L, 2L, 3L);
        assertThat(submit.prevHash).isEqualTo(AuditEntry.GENESIS);
        assertThat(phase.prevHash).isEqualTo(submit.hash);
        assertThat(promote.prevHash).isEqualTo(phase.hash);
        assertThat(other.chain).isEqualTo("other-app/staging");
        assertThat(other.position).isEqualTo(1);
        assertThat(other.prevHash).isEqualTo(AuditEntry.GENESIS);
        assertThat(promote.actor).isEqualTo("pipeline");
        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("ok", 4, null, null, 2));
    }

    @Test
    void shouldChainEntriesAppendedToOneChainWithinOneTransaction() {
        UUID release = UUID.randomUUID();
        List<AuditEntry> entries = QuarkusTransaction.requiringNew().call(() -> List.of(
                audit.append("release.submit", SAMPLE_APP, STAGING, release, "{}"),
                audit.append("release.phase", SAMPLE_APP, STAGING, release, "{}"),
                audit.append("release.phase", SAMPLE_APP, STAGING, release, "{}")));

        assertThat(entries).extracting(e -> e.position).containsExactly(1L, 2L, 3L);
        assertThat(entries.get(1).prevHash).isEqualTo(entries.get(0).hash);
        assertThat(entries.get(2).prevHash).isEqualTo(entries.get(1).hash);
        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("ok", 3, null, null, 1));
    }

    @Test
    void shouldKeepEntriesWithoutServiceOrEnvironmentInChainsOfTheirOwn() {
        AuditEntry neither = QuarkusTransaction.requiringNew().call(() -> audit.append("freeze.put", null, null, null, "{}"));
        AuditEntry serviceOnly = QuarkusTransaction.requiringNew()
                .call(() -> audit.append("service.delete", SAMPLE_APP, null, null, "{}"));
        AuditEntry both = append("release.submit", SAMPLE_APP, null);

        assertThat(List.of(neither, serviceOnly, both)).extracting(e -> e.chain)
                .containsExactly("/", "sample-app/", "sample-app/staging").doesNotContain(AuditEntry.LEGACY_CHAIN);
        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("ok", 3, null, null, 3));
    }

    @Test
    void shouldAppendToAnotherChainWhileAnAppendToOneIsUncommittedAndMakeTheSameChainWait() throws Exception {
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<AuditEntry> holder = pool.submit(() -> QuarkusTransaction.requiringNew().call(() -> {
                AuditEntry entry = audit.append("release.phase", SAMPLE_APP, STAGING, null, "{}");
                appended.countDown();
                assertThat(commit.await(1, TimeUnit.MINUTES)).isTrue();
                return entry;
            }));
            assertThat(appended.await(1, TimeUnit.MINUTES)).isTrue();

            // Another chain: appended and committed while sample-app's append still holds its chain.
            AuditEntry other = pool.submit(() -> append("release.phase", OTHER_APP, null)).get(30, TimeUnit.SECONDS);
            assertThat(other.position).isEqualTo(1);
            assertThat(holder).isNotDone();

            // The same chain: waits for the holder's commit, then chains onto its entry.
            Future<AuditEntry> waiter = pool.submit(() -> append("release.promote", SAMPLE_APP, null));
            await().atMost(Duration.ofMinutes(1)).until(() -> waitingAdvisoryLocks() == 1);
            assertThat(waiter).isNotDone();
            commit.countDown();
            AuditEntry held = holder.get(1, TimeUnit.MINUTES);
            AuditEntry next = waiter.get(1, TimeUnit.MINUTES);

            assertThat(next.position).isEqualTo(2);
            assertThat(next.prevHash).isEqualTo(held.hash);
        } finally {
            commit.countDown();
            pool.shutdownNow();
        }
        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("ok", 3, null, null, 2));
    }

    @Test
    void shouldAppendWithoutForkOrGapFromConcurrentTransactionsOfTwoChains() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String service = w % 2 == 0 ? SAMPLE_APP : OTHER_APP;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        append("release.phase", service, null);
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("ok", 40, null, null, 2));
        assertThat(positions(SAMPLE_APP)).isEqualTo(positions(OTHER_APP)).isEqualTo("1..20");
    }

    @Test
    void shouldNameTheEditedEntryWhenItsContentNoLongerMatchesItsHash() throws SQLException {
        List<AuditEntry> sample = interleaved(4);

        sql("UPDATE audit_entry SET actor = 'someone-else' WHERE seq = " + sample.get(2).seq);

        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("broken", 8, sample.get(2).seq,
                "its content does not match its hash", 2));
    }

    @Test
    void shouldNameTheEntryAfterAnEditWhoseHashWasRecomputed() throws SQLException {
        List<AuditEntry> sample = interleaved(3);
        AuditEntry forged = sample.get(1);
        forged.detail = "nothing happened";
        sql("UPDATE audit_entry SET detail = 'nothing happened', hash = '" + forged.computeHash() + "' WHERE seq = "
                + forged.seq);

        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("broken", 6, sample.get(2).seq,
                "its previous hash does not match entry " + forged.seq, 2));
    }

    @Test
    void shouldNameTheEntryAfterADeletedOne() throws SQLException {
        List<AuditEntry> sample = interleaved(3);

        sql("DELETE FROM audit_entry WHERE seq = " + sample.get(1).seq);

        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("broken", 5, sample.get(2).seq,
                "entry 2 of chain sample-app/staging is missing", 2));
    }

    @Test
    void shouldNameTheFirstOfTwoEntriesSwappedInTheirChain() throws SQLException {
        List<AuditEntry> sample = interleaved(3);

        // Three steps: the unique (chain, position) index is checked row by row.
        sql("UPDATE audit_entry SET position = 0 WHERE seq = " + sample.get(0).seq);
        sql("UPDATE audit_entry SET position = 1 WHERE seq = " + sample.get(1).seq);
        sql("UPDATE audit_entry SET position = 2 WHERE seq = " + sample.get(0).seq);

        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("broken", 6, sample.get(1).seq,
                "its previous hash is not the start of a chain", 2));
    }

    @Test
    void shouldNameAnEntryMovedToAnotherChain() throws SQLException {
        List<AuditEntry> sample = interleaved(3);

        // The last entry of sample-app moved to the end of other-app's chain: both chains look whole by position.
        sql("UPDATE audit_entry SET chain = 'other-app/staging', position = 4 WHERE seq = " + sample.get(2).seq);

        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("broken", 6, sample.get(2).seq,
                "it is in chain other-app/staging, not in sample-app/staging of its service and environment", 2));
    }

    @Test
    void shouldNameAForgedLinkToTheEntryBeforeTheDeletedOne() throws SQLException {
        List<AuditEntry> sample = interleaved(3);

        // Delete the middle entry and close the gap: the positions are whole again, the link is forged.
        sql("DELETE FROM audit_entry WHERE seq = " + sample.get(1).seq);
        AuditEntry forged = sample.get(2);
        forged.prevHash = sample.get(0).hash;
        sql("UPDATE audit_entry SET position = 2, prev_hash = '" + forged.prevHash + "' WHERE seq = " + forged.seq);

        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("broken", 5, forged.seq,
                "its content does not match its hash", 2));
    }

    /** n entries of sample-app, returned, each after one of other-app, so a chain's seqs are not consecutive. */
    private List<AuditEntry> interleaved(int n) {
        List<AuditEntry> sample = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            append("release.phase", OTHER_APP, null);
            sample.add(append("release.phase", SAMPLE_APP, null));
        }
        return sample;
    }

    private AuditEntry append(String action, String service, UUID release) {
        return QuarkusTransaction.requiringNew().call(() -> audit.append(action, service, STAGING, release, "{}"));
    }

    /** The positions of a service's staging chain, as "min..max" when they are contiguous. */
    private String positions(String service) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT min(position), max(position), count(DISTINCT position) = count(*)"
                     + " AND max(position) - min(position) + 1 = count(*) FROM audit_entry WHERE chain = '"
                     + AuditEntry.chainOf(service, STAGING) + "'")) {
            rs.next();
            return rs.getBoolean(3) ? rs.getLong(1) + ".." + rs.getLong(2) : "not contiguous";
        }
    }

    private long waitingAdvisoryLocks() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                     + " AND classid = " + AuditLog.LOCK_NAMESPACE)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String statement) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement s = connection.createStatement()) {
            s.execute(statement);
        }
    }
}
