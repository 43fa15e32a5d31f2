package dev.switchback.deployer.instance.service;

import dev.switchback.deployer.instance.Instance;
import dev.switchback.deployer.instance.InstanceState;
import dev.switchback.deployer.instance.runtime.Handle;
import dev.switchback.web.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Retirement by time or by hand: drained blues, isolated greens past their retention, an operator's retire. Each
 * instance is re-read under its scope's lock in a transaction of its own and retired only if it still qualifies, so
 * two replicas sweeping at once retire it once.
 */
@ApplicationScoped
public class Reaper {

    private static final Logger LOG = Logger.getLogger(Reaper.class);

    private final InstanceLifecycle lifecycle;
    private final InstanceStopper stopper;
    private final Clock clock;

    public Reaper(InstanceLifecycle lifecycle, InstanceStopper stopper, Clock clock) {
        this.lifecycle = lifecycle;
        this.stopper = stopper;
        this.clock = clock;
    }

    /** Retires the blues whose drain after a promotion is over, with the reason they were drained for. */
    public int retireDrained() {
        Instant now = clock.instant();
        return sweep(() -> Instance.ids("i.state = ?1 and i.retireAt <= ?2", InstanceState.DRAINING, now),
                i -> i.state == InstanceState.DRAINING && !i.retireAt.isAfter(now), i -> i.retireReason);
    }

    /** Retires isolated instances kept longer than the retention time. */
    public int retireExpired(Duration retention) {
        Instant before = clock.instant().minus(retention);
        String why = "isolated for longer than the retention of " + retention.toMinutes() + " min";
        return sweep(() -> Instance.ids("i.state = ?1 and i.updatedAt < ?2", InstanceState.ISOLATED, before),
                i -> i.state == InstanceState.ISOLATED && i.updatedAt.isBefore(before), i -> why);
    }

    /** An operator retires an isolated, warm or draining instance by hand; a live or starting one is refused. */
    @Transactional
    public Optional<Instance> retireByHand(String instanceId, String reason) {
        Optional<Instance.Scope> scope = Instance.scopeOf(instanceId);
        if (scope.isEmpty()) {
            return Optional.empty();
        }
        Instance.lockScope(scope.get());
        Instance instance = Instance.locked(instanceId).orElseThrow();
        if (instance.state == InstanceState.RETIRED) {
            return Optional.of(instance);
        }
        if (instance.state != InstanceState.ISOLATED && instance.state != InstanceState.WARM
                && instance.state != InstanceState.DRAINING) {
            throw ProblemException.conflict("instance " + instanceId + " is " + instance.state
                    + "; only an ISOLATED, WARM or DRAINING instance can be retired by hand");
        }
        lifecycle.retire(instance, reason == null || reason.isBlank() ? "retired by an operator" : reason);
        return Optional.of(instance);
    }

    /**
     * Stops the retired instances not stopped yet that this replica reaches: those another replica decided to retire
     * but could not reach (a process of this node), and those whose stop this replica's last run did not get to (it
     * died after the retirement committed). RETIRED is final, so they are read without the lock and handed to
     * {@link InstanceStopper}, which skips the ones it is stopping already.
     *
     * @return how many stops were started
     */
    public int stopLeftOvers() {
        List<LeftOver> leftOvers = QuarkusTransaction.requiringNew().call(() -> Instance.<Instance>list(
                "state = ?1 and stoppedAt is null", InstanceState.RETIRED).stream()
                .map(i -> new LeftOver(i.id, i.driver, i.handle())).toList());
        int started = 0;
        for (LeftOver leftOver : leftOvers) {
            started += stopper.stop(leftOver.id(), leftOver.driver(), leftOver.handle()) ? 1 : 0;
        }
        return started;
    }

    /** A retired instance not stopped yet, as read. */
    private record LeftOver(String id, String driver, Handle handle) {
    }

    /**
     * Acts on each candidate in a transaction of its own, under its lock, if it still qualifies.
     *
     * @param reason the retirement's reason; a null answer means the function acted itself
     */
    private int sweep(Supplier<List<String>> candidates, Predicate<Instance> qualifies, Function<Instance, String> reason) {
        int done = 0;
        for (String id : QuarkusTransaction.requiringNew().call(candidates::get)) {
            try {
                boolean acted = QuarkusTransaction.requiringNew().call(() -> {
                    Optional<Instance.Scope> scope = Instance.scopeOf(id);
                    if (scope.isEmpty()) {
                        return false;
                    }
                    Instance.lockScope(scope.get());
                    Optional<Instance> instance = Instance.locked(id).filter(qualifies);
                    instance.ifPresent(i -> {
                        String why = reason.apply(i);
                        if (why != null) {
                            lifecycle.retire(i, why);
                        }
                    });
                    return instance.isPresent();
                });
                done += acted ? 1 : 0;
            } catch (RuntimeException e) {
                LOG.warnf("cannot retire %s now: %s", id, e.getMessage());
            }
        }
        return done;
    }
}
