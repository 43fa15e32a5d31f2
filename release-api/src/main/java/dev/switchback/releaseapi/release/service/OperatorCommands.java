package dev.switchback.releaseapi.release.service;

import dev.switchback.audit.AuditLog;
import dev.switchback.events.EventCodec;
import dev.switchback.events.EventType;
import dev.switchback.events.PromoteRequested;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.RollbackRequested;
import dev.switchback.releaseapi.release.ApprovalDecision;
import dev.switchback.releaseapi.release.Condition;
import dev.switchback.releaseapi.release.Lifecycle;
import dev.switchback.releaseapi.release.Phase;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.ReleaseStep;
import dev.switchback.releaseapi.release.Trigger;
import dev.switchback.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What operators and CI ask of a running release: roll back, promote, abort. Each is decided on the release read
 * under its service's lock, so of two commands racing on one release the second sees what the first did. Promotion and
 * rollback are carried out by the switcher, which owns traffic; release-api records what it decides.
 */
@ApplicationScoped
public class OperatorCommands {

    private final ReleaseTransitions transitions;
    private final ReleaseQueue queue;
    private final AuditLog audit;
    private final Clock clock;

    public OperatorCommands(ReleaseTransitions transitions, ReleaseQueue queue, AuditLog audit, Clock clock) {
        this.transitions = transitions;
        this.queue = queue;
        this.audit = audit;
        this.clock = clock;
    }

    /** Asks the switcher to put traffic of the live release back on blue. */
    @Transactional
    public Release rollback(UUID id, String reason) {
        Release release = transitions.lock(id);
        if (release.contractRelease) {
            throw ProblemException.conflict("release " + id + " changed only the schema; a schema change is not switched"
                    + " back: ship an expand release that restores what is needed");
        }
        if (!Lifecycle.allows(release.phase, Trigger.REQUEST_ROLLBACK)) {
            throw ProblemException.conflict("release " + id + " is " + release.phase + "; only a LIVE release can be rolled back");
        }
        Release last = Release.lastCutOver(release.service, release.environment).orElseThrow();
        if (!last.id.equals(release.id)) {
            throw ProblemException.conflict("release " + id + " is no longer the latest cutover of " + release.service
                    + " (release " + last.id + " is); to go back to " + release.version + ", ship it as a new release");
        }
        if (release.promotedAt != null) {
            String previous = Release.<Release>find("service = ?1 and environment = ?2 and liveAt < ?3"
                            + " and contractRelease = false order by liveAt desc", release.service, release.environment,
                    release.liveAt).firstResultOptional().map(r -> r.version).orElse(null);
            throw ProblemException.conflict("release " + id + " was promoted at " + release.promotedAt
                    + " and blue was retired: there is no warm version to switch back to. "
                    + (previous == null ? "Ship the version you want as a new release."
                    : "To go back to " + previous + ", ship it as a new release."));
        }
        if (promotionRequested(release)) {
            throw ProblemException.conflict("a promotion of release " + id + " was requested ("
                    + release.condition(Condition.PROMOTED).orElseThrow().message() + ") and the switcher retires blue;"
                    + " once it is done, ship the version to go back to as a new release");
        }
        Optional<Release> active = Release.active(release.service, release.environment).filter(r -> !r.id.equals(id));
        if (active.isPresent()) {
            throw ProblemException.conflict("release " + active.get().id + " of " + release.service + " is in progress ("
                    + active.get().phase + "); roll back when it is done");
        }
        String why = reason == null || reason.isBlank() ? "rollback requested" : reason;
        audit.append("release.rollback", release.service, release.environment, release.id, why);
        requestRollback(transitions, release, why, clock.instant());
        return release;
    }

    /** Moves a live release to ROLLING_BACK and asks the switcher; shared with the watchdog's overdue bake. */
    static void requestRollback(ReleaseTransitions transitions, Release release, String why, Instant at) {
        transitions.fire(release, Trigger.REQUEST_ROLLBACK, why, at);
        release.setCondition(Condition.BAKING, false, "RollingBack", why, at);
        release.setCondition(Condition.PROMOTED, false, "RolledBack", "green was not promoted", at);
        transitions.publish(new RollbackRequested(ReleaseTransitions.ref(release), why));
    }

    /** Asks the switcher to end the canary steps or the bake of a release now, successfully: blue is then retired. */
    @Transactional
    public Release promote(UUID id, String reason) {
        Release release = transitions.lock(id);
        if (release.phase == Phase.LIVE && release.promotedAt != null) {
            throw ProblemException.conflict("release " + id + " was promoted already, at " + release.promotedAt);
        }
        if (promotionRequested(release)) {
            throw ProblemException.conflict("a promotion of release " + id + " was requested already ("
                    + release.condition(Condition.PROMOTED).orElseThrow().message() + "); the switcher is carrying it out");
        }
        boolean canary = release.phase == Phase.SWITCHING && release.liveAt == null
                && EventCodec.fromJson(release.spec, ReleaseSpec.class).rolloutOrDefault().isCanary()
                && ReleaseStep.count("releaseId = ?1 and eventType = ?2", release.id,
                EventType.TRAFFIC_CANARY_STEP_STARTED.type()) > 0;
        if (!release.isBaking() && !canary) {
            throw ProblemException.conflict("release " + id + " is " + release.phase
                    + "; only a release in its canary steps or its bake can be promoted");
        }
        String why = reason == null || reason.isBlank() ? "promotion requested" : reason;
        Instant now = clock.instant();
        audit.append("release.promote", release.service, release.environment, release.id, why);
        transitions.fire(release, Trigger.REQUEST_PROMOTION, why, now);
        release.setCondition(Condition.PROMOTED, false, Condition.PROMOTION_REQUESTED, "requested at " + now + ": " + why, now);
        transitions.publish(new PromoteRequested(ReleaseTransitions.ref(release), why));
        return release;
    }

    /**
     * Stops a release before it goes live: it is cancelled, its green (if any) is torn down, and the queue moves on.
     * Migrations already under way finish (they are expand-only, so blue is unaffected); a live release is rolled
     * back instead.
     */
    @Transactional
    public Release abort(UUID id, String reason) {
        Release release = transitions.lock(id);
        if (release.phase.isTerminal()) {
            throw ProblemException.conflict("release " + id + " already ended " + release.phase);
        }
        if (!Lifecycle.allows(release.phase, Trigger.CANCEL)) {
            throw ProblemException.conflict("release " + id + " is " + release.phase
                    + "; traffic has moved, so it is rolled back (POST /releases/" + id + "/rollback), not aborted");
        }
        String why = "aborted: " + (reason == null || reason.isBlank() ? "abort requested" : reason);
        Instant now = clock.instant();
        audit.append("release.abort", release.service, release.environment, release.id, why);
        transitions.cancel(release, Trigger.CANCEL, why, now);
        Approvals.settleUndecided(release, ApprovalDecision.WITHDRAWN, now);
        queue.startNext(release.service, release.environment);
        return release;
    }

    private static boolean promotionRequested(Release release) {
        return release.promotedAt == null && release.promotionRequested();
    }
}
