package dev.switchback.migrator.fence.service;

import dev.switchback.audit.AuditLog;
import dev.switchback.events.DatabaseAddress;
import dev.switchback.events.DatabaseAddresses;
import dev.switchback.events.DatabaseSpec;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.migrator.fence.DatabaseStamp;
import dev.switchback.migrator.fence.TargetDatabase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The wrong-database fence: a target database is stamped once with the service and environment it belongs to, its
 * identity is recorded, and no statement runs on a database whose stamp or identity does not match the release.
 */
@ApplicationScoped
public class FenceService {

    private static final Logger LOG = Logger.getLogger(FenceService.class);

    /** PRODUCTION: the environment no other environment's release may ever touch. */
    public static final String PRODUCTION = "production";

    private final Clock clock;
    private final EntityManager entities;
    private final AuditLog auditLog;

    public FenceService(Clock clock, EntityManager entities, AuditLog auditLog) {
        this.clock = clock;
        this.entities = entities;
        this.auditLog = auditLog;
    }

    /** Why a database was refused. */
    public static class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /**
     * Stamps a target database for a service and environment and records its identity. A database stamped for
     * another service or environment is refused: moving it is a deliberate act, not a side effect.
     */
    public TargetDatabase.Identity stamp(String service, String environment, DatabaseSpec database) {
        try (Connection connection = TargetDatabase.connect(database)) {
            Optional<TargetDatabase.Stamp> existing = TargetDatabase.stamp(connection);
            if (existing.isPresent() && !existing.get().equals(new TargetDatabase.Stamp(service, environment))) {
                audit(service, environment, database.url(), "REFUSED", "already stamped for " + existing.get().service()
                        + "/" + existing.get().environment());
                throw new Refused("the database is stamped for " + existing.get().service() + " in "
                        + existing.get().environment() + "; it is not restamped for " + service + " in " + environment);
            }
            if (existing.isEmpty()) {
                try (Statement ddl = connection.createStatement()) {
                    ddl.execute("CREATE SCHEMA IF NOT EXISTS switchback");
                    ddl.execute("CREATE TABLE IF NOT EXISTS switchback.stamp (service TEXT NOT NULL, environment TEXT NOT NULL,"
                            + " stamped_at TIMESTAMPTZ NOT NULL DEFAULT now(), singleton BOOLEAN PRIMARY KEY DEFAULT true"
                            + " CHECK (singleton))");
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO switchback.stamp (service, environment) VALUES (?, ?)")) {
                    insert.setString(1, service);
                    insert.setString(2, environment);
                    insert.executeUpdate();
                }
            }
            TargetDatabase.Identity identity = TargetDatabase.identity(connection);
            QuarkusTransaction.requiringNew().run(() -> {
                DatabaseStamp stamp = entities.find(DatabaseStamp.class, new DatabaseStamp.Key(service, environment));
                if (stamp == null) {
                    stamp = new DatabaseStamp();
                    stamp.id = new DatabaseStamp.Key(service, environment);
                }
                stamp.url = database.url();
                stamp.systemIdentifier = identity.systemIdentifier();
                stamp.databaseName = identity.databaseName();
                stamp.stampedAt = clock.instant();
                entities.merge(stamp);
            });
            audit(service, environment, database.url(), "STAMPED", null);
            LOG.infof("stamped %s as %s/%s (system %s)", identity.databaseName(), service, environment, identity.systemIdentifier());
            return identity;
        } catch (SQLException e) {
            audit(service, environment, database.url(), "FAILED", e.getMessage());
            throw new Refused("cannot stamp the database: " + e.getMessage());
        }
    }

    /**
     * The fence around code and schema, before any change: the target database and every database address in the
     * green's runtime configuration must be a database stamped for the release's service and environment. An
     * address that cannot be read is refused; a release with neither passes.
     */
    public void checkRelease(ReleaseRef release, ReleaseSpec spec) {
        DatabaseAddresses.Scan scan = DatabaseAddresses.scan(spec.runtime());
        if (!scan.readable()) {
            throw new Refused("the green's runtime configuration is refused: " + String.join("; ", scan.refusals()));
        }
        if (spec.database() != null) {
            check(release, spec.database());
        }
        for (DatabaseAddress address : scan.addresses()) {
            checkAddress(release, address, spec.database());
        }
    }

    /** Refuses, before any statement, a database that is not the release's. */
    public void check(ReleaseRef release, DatabaseSpec database) {
        try (Connection connection = TargetDatabase.connect(database)) {
            verify("the target database", release, connection);
        } catch (SQLException e) {
            throw new Refused("cannot reach the target database to check its stamp: " + e.getMessage());
        }
    }

    /** One address of the green's: connected to with its own credentials, else those of the service spec's database. */
    private void checkAddress(ReleaseRef release, DatabaseAddress address, DatabaseSpec target) {
        String what = "the green's database address " + address;
        String user = address.user() != null ? address.user() : target == null ? null : target.username();
        if (user == null) {
            throw new Refused(what + " names no user, and the service spec names no target database whose user"
                    + " the check could connect as");
        }
        String password = address.user() != null ? address.password() : TargetDatabase.password(target);
        try (Connection connection = TargetDatabase.connect(address.jdbcUrl(), user, password)) {
            verify(what, release, connection);
        } catch (SQLException e) {
            throw new Refused("cannot reach " + what + " to check its stamp: "
                    + DatabaseAddresses.redact(e.getMessage()));
        }
    }

    private void verify(String what, ReleaseRef release, Connection connection) throws SQLException {
        Optional<TargetDatabase.Stamp> stamp = TargetDatabase.stamp(connection);
        if (stamp.isEmpty()) {
            throw new Refused(what + " is not stamped: stamp it for " + release.service() + " in "
                    + release.environment() + " with POST /databases/stamp before releasing to it");
        }
        if (PRODUCTION.equals(stamp.get().environment()) && !PRODUCTION.equals(release.environment())) {
            throw new Refused(what + " is stamped production, and this is a " + release.environment()
                    + " release: a non-production release never touches production");
        }
        if (!stamp.get().service().equals(release.service()) || !stamp.get().environment().equals(release.environment())) {
            throw new Refused(what + " is stamped for " + stamp.get().service() + " in "
                    + stamp.get().environment() + ", not for " + release.service() + " in " + release.environment());
        }
        DatabaseStamp recorded = QuarkusTransaction.requiringNew().call(() ->
                entities.find(DatabaseStamp.class, new DatabaseStamp.Key(release.service(), release.environment())));
        if (recorded == null) {
            throw new Refused("no identity is recorded for " + release.service() + " in " + release.environment()
                    + ": stamp the database through the db-migrator");
        }
        TargetDatabase.Identity identity = TargetDatabase.identity(connection);
        if (!Objects.equals(recorded.databaseName, identity.databaseName())
                || recorded.systemIdentifier != null && !recorded.systemIdentifier.equals(identity.systemIdentifier())) {
            throw new Refused(what + " is not the one stamped: recorded " + recorded.databaseName
                    + " on system " + recorded.systemIdentifier + ", found " + identity.databaseName() + " on system "
                    + identity.systemIdentifier());
        }
    }

    private void audit(String service, String environment, String url, String outcome, String reason) {
        Instant at = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            entities.createNativeQuery(
                            "INSERT INTO stamp_audit (service, environment, url, outcome, reason, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                    .setParameter(1, service).setParameter(2, environment).setParameter(3, url)
                    .setParameter(4, outcome).setParameter(5, reason).setParameter(6, at)
                    .executeUpdate();
            // And in the hash-chained trail, under the caller's token subject (or the pipeline's).
            auditLog.append("database." + outcome.toLowerCase(java.util.Locale.ROOT), service, environment, null,
                    url + (reason == null ? "" : ": " + reason));
        });
    }
}
