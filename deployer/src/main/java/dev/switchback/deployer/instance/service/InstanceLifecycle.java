package dev.switchback.deployer.instance.service;

import dev.switchback.audit.AuditLog;
import dev.switchback.deployer.instance.Instance;
import dev.switchback.deployer.instance.InstanceState;
import dev.switchback.deployer.instance.runtime.Handle;
import dev.switchback.deployer.instance.runtime.RuntimeDriver;
import dev.switchback.deployer.instance.runtime.RuntimeDrivers;
import dev.switchback.events.BlueRetired;
import dev.switchback.events.InstanceRetired;
import dev.switchback.events.ReleaseRef;
import dev.switchback.messaging.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * The one place an instance's state changes: each change is checked against {@link InstanceState}'s table, written
 * to the audit trail, and a retirement says so and has the instance stopped once it has committed. Callers hold the instance's scope lock and
 * pass the row they read under it.
 */
@ApplicationScoped
public class InstanceLifecycle {

    private static final Logger LOG = Logger.getLogger(InstanceLifecycle.class);

    private final RuntimeDrivers drivers;
    private final InstanceStopper stopper;
    private final Outbox outbox;
    private final AuditLog audit;
    private final Clock clock;

    public InstanceLifecycle(RuntimeDrivers drivers, InstanceStopper stopper, Outbox outbox, AuditLog audit, Clock clock) {
        this.drivers = drivers;
        this.stopper = stopper;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Changes the state if the table allows it.
     *
     * @return true when it changed; false for a repeated fact (an event delivered again: not even the time of the
     *         last change moves) or a refused one (logged)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean transition(Instance instance, InstanceState state, String reason) {
        if (instance.state == state) {
            return false;
        }
        if (!instance.state.canBecome(state)) {
            LOG.infof("%s stays %s: %s -> %s is not a change an instance makes", instance.id, instance.state,
                    instance.state, state);
            return false;
        }
        // In the audit trail under the caller's name (an operator retiring by hand) or the pipeline's.
        audit.append("instance.state", instance.service, instance.environment, releaseId(instance),
                instance.id + ": " + instance.state + " -> " + state + (reason == null ? "" : ": " + reason));
        if (state == InstanceState.ISOLATED) {
            isolateIfReached(instance);
        }
        instance.state = state;
        instance.reason = reason;
        instance.updatedAt = clock.instant();
        if (state != InstanceState.DRAINING) {
            instance.retireAt = null;
            instance.retireReason = null;
        }
        return true;
    }

    /** Blue leaves the route for good: it keeps running until {@code until}, so no request it took is cut. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void drain(Instance instance, Instant until, String why) {
        if (transition(instance, InstanceState.DRAINING, "draining until " + until + "; " + why)) {
            instance.retireAt = until;
            instance.retireReason = why;
        }
    }

    /**
     * Retires an instance: {@code instance-retired} for every instance and {@code blue-retired} beside it for a blue,
     * the event its older readers know, and the instance stopped through its driver once this transaction has
     * committed, by {@link InstanceStopper}, if this replica reaches it (else the node that runs it stops it, see
     * {@link Reaper#stopLeftOvers}). RETIRED is final, so the stop needs neither the lock nor the consumer's thread.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void retire(Instance instance, String reason) {
        if (!instance.state.canBecome(InstanceState.RETIRED)) {
            return;
        }
        boolean blue = instance.state.isBlue();
        transition(instance, InstanceState.RETIRED, reason);
        stopper.stopAfterCommit(instance);
        ReleaseRef release = ref(instance);
        outbox.publish(new InstanceRetired(release, instance.id, instance.version,
                blue ? InstanceRetired.BLUE : InstanceRetired.GREEN, reason, instance.endpoint));
        if (blue) {
            outbox.publish(new BlueRetired(release, instance.id, instance.version, reason));
        }
    }

    /**
     * Asks the driver to take an isolated instance out of traffic's way. Best effort: traffic already left it through
     * the router, and a driver that cannot now (its API refused) must not undo the state change; the log says so.
     */
    private void isolateIfReached(Instance instance) {
        RuntimeDriver driver = drivers.named(instance.driver);
        Handle handle = instance.handle();
        if (!driver.reaches(handle)) {
            return;
        }
        try {
            driver.isolate(handle);
        } catch (RuntimeException e) {
            LOG.warnf("%s is isolated, but its driver could not take it out of selection: %s", instance.id,
                    e.getMessage());
        }
    }

    static ReleaseRef ref(Instance instance) {
        return new ReleaseRef(instance.releaseId, instance.service, instance.environment, instance.version);
    }

    static UUID releaseId(Instance instance) {
        try {
            return UUID.fromString(instance.releaseId);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }
}
