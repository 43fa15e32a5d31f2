package dev.switchback.releaseapi.release.service;

import dev.switchback.events.EventCodec;
import dev.switchback.events.ReleaseQueued;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.releaseapi.freeze.Freezes;
import dev.switchback.releaseapi.release.ApprovalDecision;
import dev.switchback.releaseapi.release.Phase;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.ReleaseStep;
import dev.switchback.releaseapi.release.Trigger;
import dev.switchback.releaseapi.servicespec.service.ServiceSpecService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One release per service and environment at a time, the others in order behind it, none while a freeze window is
 * on. Every method runs under the service's lock, taken by its caller ({@link ReleaseTransitions#lock}) or here.
 */
@ApplicationScoped
public class ReleaseQueue {

    private final ReleaseTransitions transitions;
    private final Freezes freezes;
    private final ServiceSpecService specs;
    private final Clock clock;

    public ReleaseQueue(ReleaseTransitions transitions, Freezes freezes, ServiceSpecService specs, Clock clock) {
        this.transitions = transitions;
        this.freezes = freezes;
        this.specs = specs;
        this.clock = clock;
    }

    /**
     * Puts a QUEUED release (new, or just approved) in line: it waits behind the release holding its service and
     * environment, or behind an earlier queued one, or for a freeze to end; otherwise it starts now.
     *
     * @param trigger how it joined: {@link Trigger#QUEUE} for a new release, {@link Trigger#APPROVE} once approved
     * @param why     what to say of it in the history (the approval), or null
     */
    public void admit(Release release, Trigger trigger, String why, Instant now) {
        Optional<Release> ahead = Release.active(release.service, release.environment)
                .or(() -> Release.nextQueued(release.service, release.environment).filter(next -> !next.id.equals(release.id)));
        if (ahead.isPresent()) {
            transitions.fire(release, trigger, (why == null ? "" : why + "; ") + "behind release " + ahead.get().id, now);
            transitions.publish(new ReleaseQueued(ReleaseTransitions.ref(release), ahead.get().id.toString()));
            return;
        }
        if (why != null) {
            transitions.fire(release, trigger, why, now);
        }
        if (!frozen(release, now)) {
            start(release);
        }
    }

    /**
     * Starts the next queued release of the service and environment, now that the one holding it let go. A contract
     * release split from a code release runs only if that one was promoted; otherwise it is cancelled and the queue
     * moves on.
     */
    public void startNext(String service, String environment) {
        cancelOrphanedContractReleases(service, environment);
        while (true) {
            Optional<Release> queued = Release.nextQueued(service, environment);
            if (queued.isEmpty()) {
                return;
            }
            Release next = queued.get();
            Release after = next.afterReleaseId == null ? null : Release.findById(next.afterReleaseId);
            if (after != null && (after.phase != Phase.LIVE || after.promotedAt == null)) {
                cancelContractRelease(next, after);
                continue;
            }
            if (!frozen(next, clock.instant())) {
                start(next);
            }
            return;
        }
    }

    /** Starts the queued releases whose environment is no longer frozen and whose service is free. */
    @Transactional
    public void startThawed() {
        List<Object[]> waiting = Release.getEntityManager().createQuery(
                        "select distinct r.service, r.environment from Release r where r.phase = :queued", Object[].class)
                .setParameter("queued", Phase.QUEUED).getResultList();
        for (Object[] pair : waiting) {
            String service = (String) pair[0];
            String environment = (String) pair[1];
            specs.lock(service, environment);
            if (Release.active(service, environment).isEmpty()
                    && freezes.active(environment, clock.instant()).isEmpty()) {
                startNext(service, environment);
            }
        }
    }

    /** The releases holding a service's environments and those waiting behind them, in the order they run. */
    public List<Release> of(String service) {
        return Release.<Release>list("service = :service and (" + Release.HOLDING + " or phase in :waiting)"
                                + " order by environment, requestedAt", Release.holding().and("service", service)
                                .and("waiting", List.of(Phase.AWAITING_APPROVAL, Phase.QUEUED)));
    }

    private void start(Release release) {
        if (transitions.fire(release, Trigger.START, null, clock.instant())) {
            transitions.publish(new ReleaseStarted(ReleaseTransitions.ref(release),
                    EventCodec.fromJson(release.spec, ReleaseSpec.class), release.requestedBy, release.approvedBy));
        }
    }

    /** Cancels a contract release split from a code release that did not end promoted. */
    private void cancelContractRelease(Release contract, Release after) {
        Instant now = clock.instant();
        String reason = "the release it was split from, " + after.id + ", ended " + after.phase
                + (after.phase == Phase.LIVE ? " without being promoted" : "");
        if (transitions.cancel(contract, Trigger.CANCEL, reason, now)) {
            Approvals.settleUndecided(contract, ApprovalDecision.WITHDRAWN, now);
        }
    }

    /**
     * Cancels the contract releases still waiting for approval whose code release ended without being promoted:
     * approving them later would have nothing to follow.
     */
    private void cancelOrphanedContractReleases(String service, String environment) {
        List<Release> waiting = Release.list("service = ?1 and environment = ?2 and phase = ?3 and afterReleaseId is not null",
                service, environment, Phase.AWAITING_APPROVAL);
        for (Release contract : waiting) {
            Release after = Release.findById(contract.afterReleaseId);
            if (after != null && after.phase.isTerminal()) {
                cancelContractRelease(contract, after);
            }
        }
    }

    /**
     * Whether a freeze window holds the release in the queue now; says so in its history the first time. A release
     * with an emergency reason runs through the freeze, and that is recorded too.
     */
    private boolean frozen(Release release, Instant now) {
        Optional<Freezes.Freeze> freeze = freezes.active(release.environment, now);
        if (freeze.isEmpty()) {
            return false;
        }
        String window = release.environment + " is frozen until " + freeze.get().endsAt() + ": " + freeze.get().reason();
        if (release.emergencyReason != null) {
            transitions.record(release, Trigger.START, window + "; running under the emergency override: "
                    + release.emergencyReason, now);
            return false;
        }
        boolean toldAlready = ReleaseStep.count("releaseId = ?1 and reason = ?2", release.id, window) > 0;
        if (!toldAlready) {
            transitions.fire(release, Trigger.QUEUE, window, now);
            transitions.publish(new ReleaseQueued(ReleaseTransitions.ref(release), null));
        }
        return true;
    }
}
