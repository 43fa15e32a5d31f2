package dev.switchback.switcher.route.service;

import dev.switchback.events.ReleaseRef;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.events.RollbackFailed;
import dev.switchback.events.RollbackRequested;
import dev.switchback.messaging.EndedReleases;
import dev.switchback.messaging.Outbox;
import dev.switchback.switcher.route.Cutover;
import dev.switchback.switcher.route.CutoverState;
import dev.switchback.switcher.route.Route;
import dev.switchback.switcher.route.service.CutoverProgress.Progress;
import dev.switchback.switcher.router.Weights;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Back to blue in one step, on request, when a release ends after its cutover, or when analysis fails: only while
 * the release still takes the traffic and blue is healthy. No re-deploy, no re-analysis; green stays up, isolated.
 */
@ApplicationScoped
public class Rollback {

    private static final Logger LOG = Logger.getLogger(Rollback.class);

    private final TrafficShift shift;
    private final BlueHealth blueHealth;
    private final EndedReleases ended;
    private final Outbox outbox;
    private final Clock clock;

    private final SwitchMetrics metrics;

    public Rollback(TrafficShift shift, BlueHealth blueHealth, EndedReleases ended, Outbox outbox, Clock clock,
                    SwitchMetrics metrics) {
        this.metrics = metrics;
        this.shift = shift;
        this.blueHealth = blueHealth;
        this.ended = ended;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void rollBack(RollbackRequested request) {
        long decided = System.nanoTime();
        ReleaseRef release = request.release();
        Cutover cutover = Cutover.findById(release.id());
        if (cutover == null) {
            outbox.publish(new RollbackFailed(release, "release " + release.id() + " was never cut over"));
            return;
        }
        Route route = cutover.lockRoute();
        if (cutover.state == CutoverState.ROLLED_BACK) {
            LOG.infof("release %s was rolled back already", release.id());
            return;
        }
        if (cutover.fromEndpoint == null) {
            outbox.publish(new RollbackFailed(release, "it was the first release: there is no blue to go back to"));
            return;
        }
        if (cutover.state == CutoverState.PROMOTED) {
            outbox.publish(new RollbackFailed(release, "release " + release.id() + " was promoted and blue "
                    + (cutover.fromVersion == null ? "" : cutover.fromVersion + " ") + "was retired; ship the version"
                    + " to go back to as a new release"));
            return;
        }
        rollBack(cutover, route, request.reason(), decided, null);
    }

    /**
     * A release ended without going live (its deadline passed, or it was cancelled). If traffic moved to its green
     * meanwhile, it goes back to blue: traffic stays on the healthy color.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void releaseEnded(ReleaseRef release, String reason) {
        ended.record(release.id(), reason);
        Cutover cutover = Cutover.findById(release.id());
        if (cutover != null && cutover.isWatched()) {
            rollBack(new RollbackRequested(release, "the release ended: " + reason));
        }
    }

    /**
     * Asks blue's health path now, for a switch back that may follow: the question is then under way while the
     * decision takes its locks. Null when there is no blue.
     */
    CompletableFuture<Optional<String>> askBlue(Cutover cutover) {
        return cutover.fromEndpoint == null ? null : blueHealth.ask(cutover.fromEndpoint, cutover.healthPath);
    }

    /**
     * Switches a cutover read under its route's lock back to blue.
     *
     * @param decided   {@link System#nanoTime()} when the rollback was decided: the switch's time is measured from it
     * @param blueAsked blue's health as {@link #askBlue} asked it when the decision began; null to ask now
     */
    void rollBack(Cutover cutover, Route route, String reason, long decided, CompletableFuture<Optional<String>> blueAsked) {
        ReleaseRef release = new ReleaseRef(cutover.releaseId, cutover.service, cutover.environment, cutover.version);
        boolean carriesTraffic = cutover.state == CutoverState.CANARY
                || (route != null && Objects.equals(route.liveReleaseId, release.id()));
        if (route == null || !carriesTraffic) {
            outbox.publish(new RollbackFailed(release, "release " + release.id() + " does not take the traffic now"));
            return;
        }
        if (cutover.fromEndpoint == null) {
            outbox.publish(new RollbackFailed(release, "it was the first release: there is no blue to go back to"));
            return;
        }
        Optional<String> unhealthy = (blueAsked != null ? blueAsked : askBlue(cutover)).join();
        if (unhealthy.isPresent()) {
            outbox.publish(new RollbackFailed(release, "blue at " + cutover.fromEndpoint + " is not healthy: "
                    + unhealthy.get()));
            return;
        }
        TrafficShift.Outcome moved = shift.shift(route.driver, route.id.name(), Weights.of(null, cutover.fromEndpoint, 100));
        if (!moved.done()) {
            outbox.publish(new RollbackFailed(release, moved.reason()));
            return;
        }
        long switchMillis = (System.nanoTime() - decided) / 1_000_000;
        metrics.rolledBack(switchMillis);
        Instant at = clock.instant();
        CutoverProgress.rolledBack(Progress.of(cutover)).applyTo(cutover);
        cutover.updatedAt = at;
        route.liveEndpoint = cutover.fromEndpoint;
        route.liveVersion = cutover.fromVersion;
        route.liveReleaseId = cutover.fromReleaseId;
        route.updatedAt = at;
        outbox.publish(new RollbackCompleted(release, route.port, cutover.fromEndpoint, cutover.fromVersion, reason,
                switchMillis));
    }
}
