package dev.switchback.audit;

import dev.switchback.infra.InfraTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that kept the trail as one chain: migrated at the old schema (db/audit's 0.3 alone, and a service's own
 * migrations up to 14) with entries in it, then migrated with today's db/audit, its entries verify as the legacy chain
 * and new appends chain on beside it.
 */
@QuarkusTest
@TestProfile(LegacyTrailTest.MigratedByHand.class)
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audit_legacy"))
class LegacyTrailTest {

    /** The test migrates the database itself, in two steps. */
    public static class MigratedByHand implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.flyway.migrate-at-start", "false");
        }
    }

    private static final Instant AT = Instant.parse("2026-11-01T10:00:00Z");

    @Inject
    AuditLog audit;

    @Inject
    DataSource dataSource;

    @Test
    void shouldVerifyTheEntriesOfTheOldSingleChainAfterTheMigrationAndChainNewOnesBeside(@TempDir Path oldDbAudit,
            @TempDir Path serviceMigrations) throws Exception {
        sql("DROP TABLE IF EXISTS audit_entry, flyway_schema_history, service_state");
        sql("DROP SEQUENCE IF EXISTS audit_entry_seq");
        // db/audit as it was: its 0.3 alone; beside it a service's own migrations, applied up to 14.
        try (InputStream v03 = getClass().getResourceAsStream("/db/audit/V0_3__audit.sql")) {
            Files.copy(v03, oldDbAudit.resolve("V0_3__audit.sql"));
        }
        Files.writeString(serviceMigrations.resolve("V14__service_state.sql"), "CREATE TABLE service_state (id INT);");
        migrate("filesystem:" + oldDbAudit, "filesystem:" + serviceMigrations);
        List<AuditEntry> legacy = List.of(legacyEntry(1, "sample-app", "staging", null),
                legacyEntry(2, "other-app", "prod", null), legacyEntry(3, null, null, null));
        for (int i = 0; i < legacy.size(); i++) {
            legacy.get(i).prevHash = i == 0 ? AuditEntry.GENESIS : legacy.get(i - 1).hash;
            legacy.get(i).hash = legacy.get(i).computeHash();
            insertOldStyle(legacy.get(i), false);
        }

        migrate("classpath:db/audit", "filesystem:" + serviceMigrations);

        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("ok", 3, null, null, 1));
        AuditEntry next = QuarkusTransaction.requiringNew()
                .call(() -> audit.append("release.submit", "sample-app", "staging", null, "{}"));
        assertThat(next.seq).isEqualTo(4);
        assertThat(next.chain).isEqualTo("sample-app/staging");
        assertThat(next.position).isEqualTo(1);
        assertThat(next.prevHash).isEqualTo(AuditEntry.GENESIS);
        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("ok", 4, null, null, 2));

        // Run again (its checksum changed, say), the migration changes nothing and seq never goes back.
        try (InputStream chains = getClass().getResourceAsStream("/db/audit/R__audit_chains.sql")) {
            sql(new String(chains.readAllBytes(), StandardCharsets.UTF_8));
        }
        AuditEntry after = QuarkusTransaction.requiringNew()
                .call(() -> audit.append("release.phase", "sample-app", "staging", null, "{}"));
        assertThat(after.seq).isEqualTo(5);
        assertThat(after.position).isEqualTo(2);
        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("ok", 5, null, null, 2));

        // The legacy chain still shows tampering: a deleted entry, then a new entry moved into it.
        sql("DELETE FROM audit_entry WHERE seq = 2");
        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("broken", 4, 3L, "entry 2 is missing", 2));
        insertOldStyle(legacy.get(1), true);
        sql("UPDATE audit_entry SET chain = '', position = 4 WHERE seq = " + next.seq);
        assertThat(audit.verify()).isEqualTo(new AuditLog.Verification("broken", 5, next.seq,
                "its previous hash does not match entry 3", 2));
    }

    private static AuditEntry legacyEntry(long seq, String service, String environment, String detail) {
        AuditEntry entry = new AuditEntry();
        entry.seq = seq;
        entry.at = AT.plus(seq, ChronoUnit.SECONDS);
        entry.actor = "pipeline";
        entry.action = "release.phase";
        entry.service = service;
        entry.environment = environment;
        entry.detail = detail;
        return entry;
    }

    /** With the old table's columns; after the migration, also the chain and position the migration gives it. */
    private void insertOldStyle(AuditEntry entry, boolean migrated) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_entry (seq, at, actor, action,"
                     + " service, environment, detail, prev_hash, hash" + (migrated ? ", chain, position" : "")
                     + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?" + (migrated ? ", '', ?" : "") + ")")) {
            insert.setLong(1, entry.seq);
            insert.setObject(2, Timestamp.from(entry.at));
            insert.setString(3, entry.actor);
            insert.setString(4, entry.action);
            insert.setString(5, entry.service);
            insert.setString(6, entry.environment);
            insert.setString(7, entry.detail);
            insert.setString(8, entry.prevHash);
            insert.setString(9, entry.hash);
            if (migrated) {
                insert.setLong(10, entry.seq);
            }
            insert.executeUpdate();
        }
    }

    /** As the services migrate at start: outOfOrder off, so a new version below 14 would be refused here. */
    private void migrate(String... locations) {
        Flyway.configure().dataSource(dataSource).locations(locations).load().migrate();
    }

    private void sql(String statement) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement s = connection.createStatement()) {
            s.execute(statement);
        }
    }
}
