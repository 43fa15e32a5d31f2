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
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The hash chain in PostgreSQL: appended without fork or gap, and any edit or deletion named by its first entry. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audit_log"))
class AuditLogTest {

    @Inject
    AuditLog audit;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void emptyTrail() throws SQLException {
        sql("DELETE FROM audit_entry");
    }

    @Test
    void shouldChainEachEntryToTheOneBeforeAndVerifyTheWholeTrail() {
        UUID release = UUID.randomUUID();
        List<AuditEntry> entries = List.of(append("release.submit", release), append("release.phase", release),
                append("release.promote", release));

        assertThat(entries).extracting(e -> e.seq).containsExactly(1L, 2L, 3L);
        assertThat(entries.get(0).prevHash).isEqualTo(AuditEntry.GENESIS);
        assertThat(entries.get(1).prevHash).isEqualTo(entries.get(0).hash);
        assertThat(entries.get(2).prevHash).isEqualTo(entries.get(1).hash);
        assertThat(entries.get(2).actor).isEqualTo("pipeline");
        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("ok", 3, null, null));
    }

    @Test
    void shouldNameTheEditedEntryWhenItsContentNoLongerMatchesItsHash() throws SQLException {
        for (int i = 0; i < 4; i++) {
            append("release.phase", null);
        }

        sql("UPDATE audit_entry SET actor = 'someone-else' WHERE seq = 3");

        assertThat(audit.verify()).isEqualTo(
                new AuditLog.Verification("broken", 3, 3L, "its content does not match its hash"));
    }

    @Test
    void shouldNameTheEntryAfterAnEditWhoseHashWasRecomputed() throws SQLException {
        List<AuditEntry> entries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            entries.add(append("release.phase", null));
        }
        AuditEntry forged = entries.get(1);
        forged.detail = "nothing happened";
        sql("UPDATE audit_entry SET detail = 'nothing happened', hash = '" + forged.computeHash() + "' WHERE seq = 2");

        assertThat(audit.verify()).isEqualTo(
                new AuditLog.Verification("broken", 3, 3L, "its previous hash does not match entry 2"));
    }

    @Test
    void shouldNameTheEntryAfterADeletedOne() throws SQLException {
        for (int i = 0; i < 3; i++) {
            append("release.phase", null);
        }

        sql("DELETE FROM audit_entry WHERE seq = 2");

        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("broken", 2, 3L, "entry 2 is missing"));
    }

    @Test
    void shouldAppendWithoutForkOrGapFromConcurrentTransactions() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        append("release.phase", null);
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("ok", 40, null, null));
    }

    private AuditEntry append(String action, UUID release) {
        return QuarkusTransaction.requiringNew().call(() -> audit.append(action, "sample-app", "staging", release, "{}"));
    }

    private void sql(String statement) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement s = connection.createStatement()) {
            s.execute(statement);
        }
    }
}
