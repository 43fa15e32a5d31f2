package dev.switchback.releaseapi.release.service;

import dev.switchback.audit.AuditLog;
import dev.switchback.events.ReleaseCancelled;
import dev.switchback.events.ReleaseFailed;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.messaging.Outbox;
import dev.switchback.releaseapi.release.Lifecycle;
import dev.switchback.releaseapi.release.Phase;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.ReleaseStep;
import dev.switchback.releaseapi.release.Trigger;
import dev.switchback.releaseapi.servicespec.service.ServiceSpecService;
import dev.switchback.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The one way a release changes: read it under the lock of its service and environment (the spec row every writer of
 * those releases takes), move it through {@link Lifecycle}, and record the step, the audit entry and the event in the
 * same transaction. A decision made on a release read before the lock could act on a state another transaction has
 * already changed; here it cannot.
 */
@ApplicationScoped
public class ReleaseTransitions {

    private final ServiceSpecService specs;
    private final Outbox outbox;
    private final AuditLog audit;
    private final ReleaseMetrics metrics;

    public ReleaseTransitions(ServiceSpecService specs, Outbox outbox, AuditLog audit, ReleaseMetrics metrics) {
        this.specs = specs;
        this.outbox = outbox;
        this.audit = audit;
        this.metrics = metrics;
    }

    /** The release read again under its service's lock; 404 when there is none. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Release lock(UUID id) {
        return lockIfExists(id).orElseThrow(() -> ProblemException.notFound("no release " + id));
    }

    /** The release read again under its service's lock, if it exists. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Release> lockIfExists(UUID id) {
        Release release = Release.findById(id);
        if (release == null) {
            return Optional.empty();
        }
        specs.lock(release.service, release.environment);
        Release.getEntityManager().refresh(release, LockModeType.PESSIMISTIC_WRITE);
        return Optional.of(release);
    }

    /**
     * Fires a trigger: when the lifecycle allows it in the release's phase the release moves (a phase change is
     * audited), otherwise the step is recorded with why it moved nothing. Either way the history shows it.
     *
     * @return whether the release moved
     */
    public boolean fire(Release release, Trigger trigger, String reason, Instant at) {
        Optional<Phase> next = Lifecycle.next(release.phase, trigger);
        if (next.isEmpty()) {
            record(release, trigger, Lifecycle.whyIgnored(release.phase) + (reason == null ? "" : " (" + reason + ")"), at);
            return false;
        }
        Phase to = next.get();
        metrics.moved(release, release.phase, to, trigger, release.updatedAt, at);
        if (release.phase != to) {
            audit.append("release.phase", release.service, release.environment, release.id,
                    release.phase + " -> " + to + " on " + trigger.eventType().type()
                            + (reason == null ? "" : ": " + reason));
            release.phase = to;
            release.updatedAt = at;
        }
        record(release, trigger, reason, at);
        return true;
    }

    /** Records a trigger in the release's history without moving it. */
    public void record(Release release, Trigger trigger, String reason, Instant at) {
        recordFact(release, trigger.eventType().type(), reason, at);
    }

    /** Records a fact of any event type in the release's history without moving it. */
    public void recordFact(Release release, String eventType, String reason, Instant at) {
        ReleaseStep step = new ReleaseStep();
        step.releaseId = release.id;
        step.phase = release.phase;
        step.eventType = eventType;
        step.reason = reason;
        step.at = at;
        step.persist();
    }

    /** Publishes an event through the outbox, in the transaction of the change it follows from. */
    public void publish(SwitchbackEvent event) {
        outbox.publish(event);
    }

    /** Ends a release that never went live (the trigger CANCEL or REJECT): CANCELLED with its reason, published. */
    public boolean cancel(Release release, Trigger trigger, String reason, Instant at) {
        String before = release.reason;
        release.reason = reason;
        if (!fire(release, trigger, reason, at)) {
            release.reason = before;
            return false;
        }
        publish(new ReleaseCancelled(ref(release), reason));
        return true;
    }

    /** Ends a release before it went live, a stage or the watchdog having failed it: FAILED, published. */
    public boolean fail(Release release, Trigger trigger, String stage, String reason, Instant at) {
        String before = release.reason;
        release.reason = stage + " failed: " + reason;
        if (!fire(release, trigger, reason, at)) {
            release.reason = before;
            return false;
        }
        publish(new ReleaseFailed(ref(release), stage, reason));
        return true;
    }

    public static ReleaseRef ref(Release release) {
        return new ReleaseRef(release.id.toString(), release.service, release.environment, release.version);
    }
}
