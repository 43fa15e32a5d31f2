package dev.switchback.deployer.instance.service;

import dev.switchback.audit.AuditLog;
import dev.switchback.deployer.instance.Instance;
import dev.switchback.deployer.instance.InstanceState;
import dev.switchback.deployer.instance.runtime.Answer;
import dev.switchback.deployer.instance.runtime.Handle;
import dev.switchback.deployer.instance.runtime.Launch;
import dev.switchback.deployer.instance.runtime.RuntimeDriver;
import dev.switchback.deployer.instance.runtime.RuntimeDrivers;
import dev.switchback.events.BlueChecked;
import dev.switchback.events.EventCodec;
import dev.switchback.events.GreenDeploying;
import dev.switchback.events.GreenFailed;
import dev.switchback.events.GreenReady;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.messaging.EndedReleases;
import dev.switchback.messaging.Outbox;
import dev.switchback.messaging.TraceContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Green's way in: the blue check after the schema change, green started through its runtime driver under an id
 * derived from the release (a redelivery starts nothing twice), and green called ready or failed by its health.
 */
@ApplicationScoped
public class GreenDeployment {

    private static final Logger LOG = Logger.getLogger(GreenDeployment.class);

    /** BLUE_CHECKS: how often blue is asked before it counts as unhealthy, a quarter second apart. */
    private static final int BLUE_CHECKS = 3;

    private final RuntimeDrivers drivers;
    private final InstanceLifecycle lifecycle;
    private final EndedReleases ended;
    private final Outbox outbox;
    private final AuditLog audit;
    private final Clock clock;
    private final TraceContext trace;

    public GreenDeployment(RuntimeDrivers drivers, InstanceLifecycle lifecycle, EndedReleases ended, Outbox outbox,
                           AuditLog audit, Clock clock, TraceContext trace) {
        this.trace = trace;
        this.drivers = drivers;
        this.lifecycle = lifecycle;
        this.ended = ended;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
    }

    /** The deterministic id of a release's green: a redelivered request finds the instance it already has. */
    static String instanceId(ReleaseRef release) {
        return release.service() + "-" + release.environment() + "-" + release.id().substring(0, Math.min(8, release.id().length()));
    }

    /**
     * Tick-tock: the schema change is applied; blue must still pass its health check against the new schema before
     * any code follows, unless the release is a fix release. A contract release ends with this check.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void afterMigration(ReleaseRef release, ReleaseSpec spec) {
        Instance.lockScope(release.service(), release.environment());
        if (Instance.ofRelease(release.id()).isPresent()) {
            LOG.infof("release %s already has its green", release.id());
            return;
        }
        if (ended.isEnded(release.id())) {
            LOG.infof("release %s ended before its migrations did; no green is started", release.id());
            return;
        }
        Optional<Instance> blue = Instance.live(release.service(), release.environment());
        if (blue.isEmpty()) {
            outbox.publish(new BlueChecked(release, true, null, "no live version to check"));
        } else {
            Answer answer = blueReadiness(blue.get());
            if (answer.isYes()) {
                outbox.publish(new BlueChecked(release, true, blue.get().endpoint,
                        "blue " + blue.get().version + " healthy against the new schema"));
            } else if (spec.fixRelease() && !spec.isContractRelease()) {
                // Roll forward: a broken blue is what a fix release is for. Blue's answer is still recorded.
                outbox.publish(new BlueChecked(release, false, blue.get().endpoint, answer.reason()
                        + "; gate skipped for a fix release: " + spec.fix(), true));
                audit.append("release.blue-gate-skipped", release.service(), release.environment(),
                        auditId(release), "blue " + blue.get().version + " at " + blue.get().endpoint
                                + " unhealthy (" + answer.reason() + "); green started for the fix release: " + spec.fix());
            } else {
                outbox.publish(new BlueChecked(release, false, blue.get().endpoint, answer.reason()));
                return;
            }
        }
        if (!spec.isContractRelease()) {
            start(release, spec);
        }
    }

    private static java.util.UUID auditId(ReleaseRef release) {
        try {
            return java.util.UUID.fromString(release.id());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Asks up to {@link #BLUE_CHECKS} times, so one slow answer is not a verdict. */
    private Answer blueReadiness(Instance blue) {
        RuntimeDriver driver = drivers.named(blue.driver);
        Answer answer = driver.readiness(blue.handle());
        for (int check = 2; check <= BLUE_CHECKS && !answer.isYes(); check++) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Answer.notYet("interrupted");
            }
            answer = driver.readiness(blue.handle());
        }
        return answer;
    }

    private void start(ReleaseRef release, ReleaseSpec spec) {
        String id = instanceId(release);
        RuntimeDriver driver;
        Handle handle;
        try {
            driver = drivers.named(spec.runtime().driver());
        } catch (IllegalArgumentException e) {
            outbox.publish(new GreenFailed(release, id, e.getMessage()));
            return;
        }
        try {
            handle = driver.start(Launch.of(id, release, spec));
        } catch (RuntimeException e) {
            outbox.publish(new GreenFailed(release, id, "could not start: " + e.getMessage()));
            return;
        }
        Instant now = clock.instant();
        Instance instance = new Instance();
        instance.id = id;
        instance.releaseId = release.id();
        instance.service = release.service();
        instance.environment = release.environment();
        instance.version = release.version();
        instance.state = InstanceState.STARTING;
        instance.driver = driver.name();
        instance.handle(handle);
        instance.healthPath = spec.health().path();
        instance.spec = EventCodec.toJson(spec);
        instance.deadline = now.plus(Duration.ofSeconds(spec.health().deadlineSeconds()));
        instance.traceparent = trace.current();
        instance.createdAt = now;
        instance.updatedAt = now;
        instance.persist();
        audit.append("instance.state", instance.service, instance.environment, InstanceLifecycle.releaseId(instance),
                id + ": new -> STARTING on " + instance.endpoint);
        outbox.publish(new GreenDeploying(release, id, instance.endpoint));
    }

    /**
     * Decides on a starting green by its driver's answer, asked outside any lock: yes makes it ready (the switcher
     * may send it traffic); no, or not yet past its deadline as the locked row has it, fails it.
     */
    @Transactional
    public void judge(String instanceId, Answer readiness) {
        Optional<Instance> found = lockedStarting(instanceId);
        if (found.isEmpty()) {
            return;
        }
        Instance green = found.get();
        // Polled by the health gate after the event that started green was handled: its outcome is published in
        // the context green was started in.
        TraceContext.within(green.traceparent, () -> decide(green, readiness));
    }

    private void decide(Instance green, Answer readiness) {
        if (readiness.isYes()) {
            lifecycle.transition(green, InstanceState.READY, null);
            outbox.publish(new GreenReady(InstanceLifecycle.ref(green), EventCodec.fromJson(green.spec, ReleaseSpec.class),
                    green.id, green.endpoint));
        } else if (readiness.isNo()) {
            failed(green, readiness.reason());
        } else if (clock.instant().isAfter(green.deadline)) {
            failed(green, "not healthy by its deadline; last check: " + readiness.reason());
        }
    }

    /** Green did not become healthy: it gets no traffic and is kept, isolated, for analysis while it runs. */
    private void failed(Instance green, String reason) {
        outbox.publish(new GreenFailed(InstanceLifecycle.ref(green), green.id, reason));
        // Not known here (another node's process) counts as running: kept isolated until retired, stopped by its node.
        if (drivers.named(green.driver).liveness(green.handle()).isNo()) {
            lifecycle.retire(green, reason);
        } else {
            lifecycle.transition(green, InstanceState.ISOLATED, reason);
        }
    }

    private static Optional<Instance> lockedStarting(String instanceId) {
        Optional<Instance.Scope> scope = Instance.scopeOf(instanceId);
        scope.ifPresent(Instance::lockScope);
        return scope.flatMap(s -> Instance.locked(instanceId)).filter(i -> i.state == InstanceState.STARTING);
    }
}
