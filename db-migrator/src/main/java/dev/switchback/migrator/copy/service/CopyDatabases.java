package dev.switchback.migrator.copy.service;

import dev.switchback.audit.AuditLog;
import dev.switchback.events.CopyCreated;
import dev.switchback.events.CopyCreationFailed;
import dev.switchback.events.CopyDropped;
import dev.switchback.events.CopyRequested;
import dev.switchback.events.DatabaseSpec;
import dev.switchback.events.EventCodec;
import dev.switchback.events.ReleaseRef;
import dev.switchback.messaging.Outbox;
import dev.switchback.migrator.config.MigratorConfig;
import dev.switchback.migrator.copy.RequestedCopy;
import dev.switchback.migrator.copy.SchemaCopy;
import dev.switchback.migrator.fence.service.FenceService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The migrator's half of a copy an admin asked for: a schema copy of the release's target database as it is now
 * ({@link SchemaCopy}: schema and migration history, no rows, stamped {@code copy}), and its drop once the deployer
 * retired the copy, or once its retention ended and a grace passed whatever the deployer said. Every decision is made
 * on the copy's row read under its lock, so a redelivery or a second replica makes and drops a copy once.
 */
@ApplicationScoped
public class CopyDatabases {

    private static final Logger LOG = Logger.getLogger(CopyDatabases.class);

    private final SchemaCopy copies;
    private final FenceService fence;
    private final Outbox outbox;
    private final AuditLog audit;
    private final MigratorConfig config;
    private final Clock clock;

    public CopyDatabases(SchemaCopy copies, FenceService fence, Outbox outbox, AuditLog audit, MigratorConfig config,
                         Clock clock) {
        this.copies = copies;
        this.fence = fence;
        this.outbox = outbox;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
    }

    /** Makes the schema copy a request asks for, once; runs in the consumer's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void create(CopyRequested request) {
        ReleaseRef release = request.release();
        Optional<RequestedCopy> known = RequestedCopy.locked(request.copyId());
        if (known.isPresent()) {
            LOG.infof("copy %s is %s already; nothing to make", request.copyId(), known.get().state);
            return;
        }
        RequestedCopy row = new RequestedCopy();
        row.copyId = request.copyId();
        row.releaseId = release.id();
        row.service = release.service();
        row.environment = release.environment();
        row.version = release.version();
        row.expiresAt = request.expiresAt();
        row.createdAt = clock.instant();
        DatabaseSpec target = request.spec() == null ? null : request.spec().database();
        if (target == null) {
            fail(row, "the release names no target database to copy");
            return;
        }
        if (!request.expiresAt().isAfter(clock.instant())) {
            fail(row, "its retention ended at " + request.expiresAt() + " before its schema copy could be made");
            return;
        }
        String name;
        try {
            name = SchemaCopy.name(target, request.copyId());
            fence.check(release, target);
        } catch (FenceService.Refused | IllegalArgumentException e) {
            fail(row, "the target database is refused: " + e.getMessage());
            return;
        }
        row.databaseName = name;
        row.target = EventCodec.toJson(target);
        DatabaseSpec copy;
        try {
            copy = copies.create(target, name, release);
        } catch (SchemaCopy.Failure e) {
            dropQuietly(target, name);
            row.databaseName = null;
            fail(row, e.getMessage());
            return;
        }
        row.state = RequestedCopy.State.CREATED;
        row.persist();
        audit.append("copy.created", release.service(), release.environment(), UUID.fromString(release.id()),
                request.copyId() + ": schema of the target copied to " + name + " until " + request.expiresAt());
        outbox.publish(new CopyCreated(release, request.copyId(), copy.url(), name, request.spec(), request.expiresAt()));
    }

    /**
     * Drops the copy's schema copy, once. A copy not heard of yet is recorded dropped, so its request, if it comes
     * later, makes nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void drop(ReleaseRef release, String copyId, String reason) {
        RequestedCopy row = RequestedCopy.locked(copyId).orElse(null);
        if (row == null) {
            row = new RequestedCopy();
            row.copyId = copyId;
            row.releaseId = release.id();
            row.service = release.service();
            row.environment = release.environment();
            row.version = release.version();
            row.expiresAt = clock.instant();
            row.createdAt = clock.instant();
            row.state = RequestedCopy.State.DROPPED;
            row.reason = "retired before its schema copy was made: " + reason;
            row.droppedAt = clock.instant();
            row.persist();
            outbox.publish(new CopyDropped(release, copyId, null, row.reason));
            return;
        }
        if (row.state != RequestedCopy.State.CREATED) {
            LOG.debugf("copy %s is %s; nothing to drop", copyId, row.state);
            return;
        }
        DatabaseSpec target = EventCodec.fromJson(row.target, DatabaseSpec.class);
        try {
            copies.drop(target, row.databaseName);
        } catch (SchemaCopy.Failure e) {
            // Tried again by the retention sweep once the grace has passed.
            LOG.warnf("%s; tried again later", e.getMessage());
            row.expiresAt = clock.instant();
            return;
        }
        row.state = RequestedCopy.State.DROPPED;
        row.reason = reason;
        row.droppedAt = clock.instant();
        audit.append("copy.dropped", row.service, row.environment, UUID.fromString(row.releaseId),
                copyId + ": " + row.databaseName + " dropped: " + reason);
        outbox.publish(new CopyDropped(row.release(), copyId, row.databaseName, reason));
        LOG.infof("copy %s: %s dropped (%s)", copyId, row.databaseName, reason);
    }

    /**
     * Drops the schema copies whose retention ended more than the grace ago: the deployer retires its copy at the
     * expiry and the drop follows on its word; this is for a deployer that never said it. Each in a transaction of its
     * own, re-read under its lock.
     */
    public int dropOverdue() {
        Instant before = clock.instant().minus(config.copies().grace());
        int dropped = 0;
        for (String id : QuarkusTransaction.requiringNew().call(() -> RequestedCopy.dueBefore(before))) {
            try {
                dropped += QuarkusTransaction.requiringNew().call(() -> {
                    RequestedCopy row = RequestedCopy.locked(id).orElseThrow();
                    if (row.state != RequestedCopy.State.CREATED || row.expiresAt.isAfter(before)) {
                        return 0;
                    }
                    drop(row.release(), id, "its retention ended at " + row.expiresAt);
                    return 1;
                });
            } catch (RuntimeException e) {
                LOG.warnf("cannot drop copy %s now: %s", id, e.getMessage());
            }
        }
        return dropped;
    }

    private void fail(RequestedCopy row, String reason) {
        LOG.warnf("copy %s of release %s: %s", row.copyId, row.releaseId, reason);
        row.state = RequestedCopy.State.FAILED;
        row.reason = reason;
        row.persist();
        outbox.publish(new CopyCreationFailed(row.release(), row.copyId, reason));
    }

    private void dropQuietly(DatabaseSpec target, String name) {
        try {
            copies.drop(target, name);
        } catch (SchemaCopy.Failure e) {
            LOG.warnf("%s; drop it by hand", e.getMessage());
        }
    }
}
