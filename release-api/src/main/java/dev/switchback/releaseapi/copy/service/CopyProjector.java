package dev.switchback.releaseapi.copy.service;

import dev.switchback.audit.AuditLog;
import dev.switchback.events.CopyCreated;
import dev.switchback.events.CopyCreationFailed;
import dev.switchback.events.CopyDropped;
import dev.switchback.events.CopyRetired;
import dev.switchback.events.CopyStartFailed;
import dev.switchback.events.CopyStarted;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.releaseapi.copy.CopyState;
import dev.switchback.releaseapi.copy.ReleaseCopy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Takes what the migrator and the deployer report of a copy into its row, read under its lock: one case per event
 * type; a move the copy's state does not allow (late, redelivered) moves nothing.
 */
@ApplicationScoped
public class CopyProjector {

    private static final Logger LOG = Logger.getLogger(CopyProjector.class);

    private final AuditLog audit;
    private final Clock clock;

    public CopyProjector(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** Whether the event is about a requested copy, and so this projector's. */
    public static boolean handles(SwitchbackEvent event) {
        return event instanceof CopyCreated || event instanceof CopyCreationFailed || event instanceof CopyStarted
                || event instanceof CopyStartFailed || event instanceof CopyRetired || event instanceof CopyDropped;
    }

    /** Projects one event about a copy. Runs in the consumer's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(SwitchbackEvent event) {
        Instant now = clock.instant();
        if (event instanceof CopyCreated created) {
            copy(created.copyId()).ifPresent(c -> c.databaseName = created.database());
        } else if (event instanceof CopyCreationFailed failed) {
            copy(failed.copyId()).ifPresent(c -> fail(c, failed.reason()));
        } else if (event instanceof CopyStarted started) {
            copy(started.copyId()).ifPresent(c -> {
                c.endpoint = started.endpoint();
                c.instanceId = started.instanceId();
                c.databaseName = started.database();
                c.startedAt = now;
                c.moveTo(CopyState.RUNNING);
            });
        } else if (event instanceof CopyStartFailed failed) {
            copy(failed.copyId()).ifPresent(c -> fail(c, failed.reason()));
        } else if (event instanceof CopyRetired retired) {
            copy(retired.copyId()).ifPresent(c -> {
                if (c.moveTo(CopyState.RETIRING) || c.state == CopyState.RETIRING) {
                    c.retiredAt = now;
                    c.retiredReason = c.retiredReason == null ? retired.reason() : c.retiredReason;
                }
            });
        } else if (event instanceof CopyDropped dropped) {
            copy(dropped.copyId()).ifPresent(c -> {
                c.droppedAt = now;
                if (c.moveTo(CopyState.RETIRED)) {
                    c.retiredAt = c.retiredAt == null ? now : c.retiredAt;
                    c.retiredReason = c.retiredReason == null ? dropped.reason() : c.retiredReason;
                    audit.append("release.copy-retired", c.service, c.environment, c.releaseId, "copy " + c.id + ": "
                            + c.retiredReason + (dropped.database() == null ? "" : "; " + dropped.database() + " dropped"));
                }
            });
        } else {
            LOG.debugf("not a copy's event: %s", event.getClass().getSimpleName());
        }
    }

    private void fail(ReleaseCopy copy, String reason) {
        if (copy.moveTo(CopyState.FAILED)) {
            copy.failure = reason;
            audit.append("release.copy-failed", copy.service, copy.environment, copy.releaseId, "copy " + copy.id + ": " + reason);
        }
    }

    private static Optional<ReleaseCopy> copy(String copyId) {
        try {
            return ReleaseCopy.locked(UUID.fromString(copyId));
        } catch (IllegalArgumentException e) {
            LOG.warnf("ignoring an event for a copy id that is not ours: %s", copyId);
            return Optional.empty();
        }
    }
}
