package dev.switchback.deployer.instance.service;

import dev.switchback.deployer.config.DeployerConfig;
import dev.switchback.deployer.instance.Instance;
import dev.switchback.deployer.instance.InstanceState;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.messaging.EndedReleases;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * What the pipeline's outcomes do to each instance of a service in an environment: a cutover, a rollback, a
 * promotion, a release that ended without going live. Each takes the scope's lock first, so a redelivered or
 * concurrently delivered outcome reads what the first one wrote and changes nothing.
 */
@ApplicationScoped
public class Handover {

    private final InstanceLifecycle lifecycle;
    private final EndedReleases ended;
    private final DeployerConfig config;
    private final Clock clock;

    public Handover(InstanceLifecycle lifecycle, EndedReleases ended, DeployerConfig config, Clock clock) {
        this.lifecycle = lifecycle;
        this.ended = ended;
        this.config = config;
        this.clock = clock;
    }

    /** Green is live: blue stays warm, anything older is retired. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cutOver(CutoverCompleted cutover) {
        ReleaseRef release = cutover.release();
        Instance.lockScope(release.service(), release.environment());
        Instance.ofRelease(release.id()).ifPresent(green -> lifecycle.transition(green, InstanceState.LIVE, null));
        if (cutover.fromEndpoint() != null) {
            // Only a live blue is kept warm: a draining one stays as it is, this cutover is a redelivered one.
            Instance.atEndpoint(release.service(), release.environment(), cutover.fromEndpoint())
                    .filter(blue -> blue.state == InstanceState.LIVE)
                    .ifPresent(blue -> lifecycle.transition(blue, InstanceState.WARM, "kept warm after the cutover of "
                            + release.version()));
        }
        for (Instance instance : Instance.running(release.service(), release.environment())) {
            // Isolated greens wait for an operator or their retention time: they are kept for analysis.
            boolean needed = instance.releaseId.equals(release.id())
                    || Objects.equals(instance.endpoint, cutover.fromEndpoint())
                    || instance.state == InstanceState.STARTING || instance.state == InstanceState.READY
                    || instance.state == InstanceState.ISOLATED;
            if (!needed) {
                lifecycle.retire(instance, "no release needs it after the cutover of " + release.version());
            }
        }
    }

    /** Traffic is back on blue: green keeps running, isolated, for analysis. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void rolledBack(RollbackCompleted rollback) {
        ReleaseRef release = rollback.release();
        Instance.lockScope(release.service(), release.environment());
        Instance.ofRelease(release.id())
                .ifPresent(green -> lifecycle.transition(green, InstanceState.ISOLATED, "rolled back"));
        if (rollback.restoredEndpoint() != null) {
            Instance.atEndpoint(release.service(), release.environment(), rollback.restoredEndpoint())
                    .ifPresent(blue -> lifecycle.transition(blue, InstanceState.LIVE, null));
        }
    }

    /**
     * The release ended without going live. A failed release's green is isolated, for analysis; an aborted
     * (cancelled) release's green is torn down, as the operator asked.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void releaseEnded(ReleaseRef release, String reason, boolean tearDown) {
        Instance.lockScope(release.service(), release.environment());
        ended.record(release.id(), reason);
        Instance.ofRelease(release.id())
                .filter(green -> green.state == InstanceState.STARTING || green.state == InstanceState.READY)
                .ifPresent(green -> {
                    if (tearDown) {
                        lifecycle.retire(green, "the release was cancelled: " + reason);
                    } else {
                        lifecycle.transition(green, InstanceState.ISOLATED, "the release ended: " + reason);
                    }
                });
    }

    /**
     * The bake passed: blue, kept warm until now, is retired; green is the only version. A blue that left the route
     * less than the drain time ago drains until then ({@link Reaper#retireDrained}), so no request it took is cut.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void promoted(ReleaseRef release, String reason) {
        Instance.lockScope(release.service(), release.environment());
        Instant now = clock.instant();
        for (Instance instance : Instance.running(release.service(), release.environment())) {
            if (instance.state == InstanceState.WARM && !instance.releaseId.equals(release.id())) {
                String why = "release " + release.version() + " was promoted: " + reason;
                // Warm since it left the route: the drain counts from then.
                Instant drained = instance.updatedAt.plus(config.drain());
                if (drained.isAfter(now)) {
                    lifecycle.drain(instance, drained, why);
                } else {
                    lifecycle.retire(instance, why);
                }
            }
        }
    }
}
