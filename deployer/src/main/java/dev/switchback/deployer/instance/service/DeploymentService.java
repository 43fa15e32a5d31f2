package dev.switchback.deployer.instance.service;

import dev.switchback.audit.AuditLog;
import dev.switchback.deployer.config.DeployerConfig;
import dev.switchback.deployer.instance.Instance;
import dev.switchback.deployer.instance.InstanceState;
import dev.switchback.deployer.instance.runtime.RuntimeDriver;
import dev.switchback.events.BlueChecked;
import dev.switchback.events.BlueRetired;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.EventCodec;
import dev.switchback.events.GreenDeploying;
import dev.switchback.events.GreenFailed;
import dev.switchback.events.GreenReady;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.messaging.EndedReleases;
import dev.switchback.messaging.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance.Handle;
import jakarta.enterprise.inject.Any;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Stands up green for a release whose schema change is done, and retires what no release needs any more. */
@ApplicationScoped
public class DeploymentService {

    private static final Logger LOG = Logger.getLogger(DeploymentService.class);

    private final jakarta.enterprise.inject.Instance<RuntimeDriver> drivers;
    private final HealthProbe health;
    private final EndedReleases ended;
    private final Outbox outbox;
    private final Clock clock;
    private final AuditLog audit;
    private final DeployerConfig config;

    public DeploymentService(@Any jakarta.enterprise.inject.Instance<RuntimeDriver> drivers, HealthProbe health,
                             EndedReleases ended, Outbox outbox, Clock clock, AuditLog audit, DeployerConfig config) {
        this.audit = audit;
        this.config = config;
        this.drivers = drivers;
        this.health = health;
        this.ended = ended;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The deterministic id of a release's green: a redelivered request finds the instance it already has. */
    static String instanceId(ReleaseRef release) {
        return release.service() + "-" + release.environment() + "-" + release.id().substring(0, Math.min(8, release.id().length()));
    }

    /**
     * Tick-tock: the schema change is applied; blue must still pass its health check against the new schema before
     * any code follows. A contract release ends with this check.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void afterMigration(ReleaseRef release, ReleaseSpec spec) {
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
            String problem = health.probe(blue.get().endpoint + blue.get().healthPath, 3);
            outbox.publish(new BlueChecked(release, problem == null, blue.get().endpoint,
                    problem == null ? "blue " + blue.get().version + " healthy against the new schema" : problem));
            if (problem != null) {
                return;
            }
        }
        if (!spec.isContractRelease()) {
            deployGreen(release, spec);
        }
    }

    private void deployGreen(ReleaseRef release, ReleaseSpec spec) {
        String id = instanceId(release);
        RuntimeDriver driver;
        try {
            driver = driver(spec.runtime().driver());
        } catch (IllegalArgumentException e) {
            outbox.publish(new GreenFailed(release, id, e.getMessage()));
            return;
        }
        RuntimeDriver.Started started;
        try {
            started = driver.start(id, spec.runtime(), spec.artifact(), release.version());
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
        instance.pid = started.pid();
        instance.port = started.port();
        instance.endpoint = "http://127.0.0.1:" + started.port();
        instance.healthPath = spec.health().path();
        instance.spec = EventCodec.toJson(spec);
        instance.deadline = now.plus(Duration.ofSeconds(spec.health().deadlineSeconds()));
        instance.createdAt = now;
        instance.updatedAt = now;
        instance.persist();
        audit.append("instance.state", instance.service, instance.environment, releaseId(instance),
                id + ": new -> STARTING on " + instance.endpoint);
        outbox.publish(new GreenDeploying(release, id, instance.endpoint));
    }

    /** Green passed its health check: the switcher may send it traffic. */
    @Transactional
    public void ready(String instanceId) {
        Instance instance = Instance.findById(instanceId);
        if (instance == null || instance.state != InstanceState.STARTING) {
            return;
        }
        transition(instance, InstanceState.READY, null);
        outbox.publish(new GreenReady(ref(instance), EventCodec.fromJson(instance.spec, ReleaseSpec.class), instance.id, instance.endpoint));
    }

    /** Green did not become healthy: it gets no traffic and is kept, isolated, for analysis while it runs. */
    @Transactional
    public void failed(String instanceId, String reason) {
        Instance instance = Instance.findById(instanceId);
        if (instance == null || instance.state != InstanceState.STARTING) {
            return;
        }
        boolean alive = driver(EventCodec.fromJson(instance.spec, ReleaseSpec.class).runtime().driver()).isAlive(instance.id, instance.pid);
        transition(instance, alive ? InstanceState.ISOLATED : InstanceState.RETIRED, reason);
        outbox.publish(new GreenFailed(ref(instance), instance.id, reason));
    }

    /** Green is live: blue stays warm, anything older is retired. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cutOver(CutoverCompleted cutover) {
        Instance.ofRelease(cutover.release().id()).ifPresent(green -> transition(green, InstanceState.LIVE, null));
        if (cutover.fromEndpoint() != null) {
            // A blue draining after its successor's promotion stays as it is: this cutover is a redelivered one.
            Instance.atEndpoint(cutover.release().service(), cutover.release().environment(), cutover.fromEndpoint())
                    .filter(blue -> blue.retireAt == null)
                    .ifPresent(blue -> transition(blue, InstanceState.WARM, "kept warm after the cutover of "
                            + cutover.release().version()));
        }
        for (Instance instance : Instance.running(cutover.release().service(), cutover.release().environment())) {
            // Isolated greens wait for an operator or their retention time: they are kept for analysis.
            boolean needed = instance.releaseId.equals(cutover.release().id())
                    || Objects.equals(instance.endpoint, cutover.fromEndpoint())
                    || instance.state == InstanceState.STARTING || instance.state == InstanceState.READY
                    || instance.state == InstanceState.ISOLATED;
            if (!needed) {
                retire(instance, "no release needs it after the cutover of " + cutover.release().version());
            }
        }
    }

    /**
     * The release ended without going live. A failed release's green is isolated, for analysis; an aborted
     * (cancelled) release's green is torn down, as the operator asked.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void releaseEnded(ReleaseRef release, String reason, boolean tearDown) {
        ended.record(release.id(), reason);
        Instance.ofRelease(release.id())
                .filter(green -> green.state == InstanceState.STARTING || green.state == InstanceState.READY)
                .ifPresent(green -> {
                    if (tearDown) {
                        retire(green, "the release was cancelled: " + reason);
                    } else {
                        transition(green, InstanceState.ISOLATED, "the release ended: " + reason);
                    }
                });
    }

    /**
     * The bake passed: blue, kept warm until now, is retired; green is the only version. A blue that left the route
     * less than the drain time ago keeps running until then ({@link #retireDrained}), so no request it took is cut.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void promoted(ReleaseRef release, String reason) {
        Instant now = clock.instant();
        Duration drain = config.drain();
        for (Instance instance : Instance.running(release.service(), release.environment())) {
            if (instance.state == InstanceState.WARM && !instance.releaseId.equals(release.id())
                    && instance.retireAt == null) {
                String why = "release " + release.version() + " was promoted: " + reason;
                Instant drained = instance.updatedAt.plus(drain);
                if (drained.isAfter(now)) {
                    instance.retireAt = drained;
                    transition(instance, InstanceState.WARM, "draining until " + drained + "; " + why);
                } else {
                    retire(instance, why);
                }
            }
        }
    }

    /** Retires the blues whose drain after a promotion is over. */
    @Transactional
    public int retireDrained() {
        List<Instance> drained = Instance.list("state = ?1 and retireAt <= ?2", InstanceState.WARM, clock.instant());
        drained.forEach(instance -> retire(instance, instance.reason.replaceFirst("^draining until [^;]*; ", "")));
        return drained.size();
    }

    /** An operator retires an isolated (or warm) instance by hand; a live or starting one is refused. */
    @Transactional
    public Optional<Instance> retireByHand(String instanceId, String reason) {
        Instance instance = Instance.findById(instanceId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (instance == null) {
            return Optional.empty();
        }
        if (instance.state == InstanceState.RETIRED) {
            return Optional.of(instance);
        }
        if (instance.state != InstanceState.ISOLATED && instance.state != InstanceState.WARM) {
            throw dev.switchback.web.ProblemException.conflict("instance " + instanceId + " is " + instance.state
                    + "; only an ISOLATED or WARM instance can be retired by hand");
        }
        retire(instance, reason == null || reason.isBlank() ? "retired by an operator" : reason);
        return Optional.of(instance);
    }

    /** Retires isolated instances kept longer than the retention time. */
    @Transactional
    public int retireExpired(Duration retention) {
        Instant before = clock.instant().minus(retention);
        List<Instance> expired = Instance.list("state = ?1 and updatedAt < ?2", InstanceState.ISOLATED, before);
        expired.forEach(instance -> retire(instance, "isolated for longer than the retention of " + retention.toMinutes()
                + " min"));
        return expired.size();
    }

    public List<Instance> instances(String service, String environment) {
        if (service == null) {
            return Instance.list("order by createdAt desc");
        }
        return environment == null ? Instance.list("service = ?1 order by createdAt desc", service)
                : Instance.list("service = ?1 and environment = ?2 order by createdAt desc", service, environment);
    }

    /** Traffic is back on blue: green keeps running, isolated, for analysis. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void rolledBack(RollbackCompleted rollback) {
        Instance.ofRelease(rollback.release().id())
                .ifPresent(green -> transition(green, InstanceState.ISOLATED, "rolled back"));
        if (rollback.restoredEndpoint() != null) {
            Instance.atEndpoint(rollback.release().service(), rollback.release().environment(), rollback.restoredEndpoint())
                    .ifPresent(blue -> transition(blue, InstanceState.LIVE, null));
        }
    }

    /**
     * Recovery on start: every instance the database says runs is looked for. One still running (the deployer died,
     * its children did not) is adopted as it is; one whose process is gone is started again on its port, so routes to
     * it keep working; an isolated one that is gone is retired, there is nothing left to analyse.
     */
    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent startup) {
        recover();
    }

    @Transactional
    public void recover() {
        for (Instance instance : Instance.<Instance>list("state <> ?1", InstanceState.RETIRED)) {
            ReleaseSpec spec = EventCodec.fromJson(instance.spec, ReleaseSpec.class);
            RuntimeDriver driver;
            try {
                driver = driver(spec.runtime().driver());
            } catch (IllegalArgumentException e) {
                LOG.errorf("cannot recover %s: %s", instance.id, e.getMessage());
                continue;
            }
            if (driver.isAlive(instance.id, instance.pid)) {
                LOG.infof("recovered %s (%s, pid %d): still running", instance.id, instance.state, instance.pid);
                continue;
            }
            if (instance.state == InstanceState.ISOLATED || instance.retireAt != null) {
                // Nothing to keep: an isolated green, or a promoted release's blue that was draining.
                transition(instance, InstanceState.RETIRED, "its process was gone when the deployer started");
                continue;
            }
            try {
                RuntimeDriver.Started started = driver.restart(instance.id, spec.runtime(), spec.artifact(),
                        instance.version, instance.port);
                instance.pid = started.pid();
                if (instance.state == InstanceState.STARTING) {
                    instance.deadline = clock.instant().plusSeconds(spec.health().deadlineSeconds());
                }
                instance.updatedAt = clock.instant();
                LOG.infof("recovered %s (%s): its process was gone, started again on port %d", instance.id,
                        instance.state, instance.port);
            } catch (RuntimeException e) {
                LOG.errorf("cannot restart %s on port %d: %s", instance.id, instance.port, e.getMessage());
            }
        }
    }

    private void retire(Instance instance, String reason) {
        driver(EventCodec.fromJson(instance.spec, ReleaseSpec.class).runtime().driver()).stop(instance.id, instance.pid);
        transition(instance, InstanceState.RETIRED, reason);
        outbox.publish(new BlueRetired(ref(instance), instance.id, instance.version, reason));
    }

    private void transition(Instance instance, InstanceState state, String reason) {
        if (instance.state == state && Objects.equals(instance.reason, reason)) {
            // A repeated fact (an event delivered again) changes nothing, not even the time of the last change.
            return;
        }
        // In the audit trail under the caller's name (an operator retiring by hand) or the pipeline's.
        audit.append("instance.state", instance.service, instance.environment, releaseId(instance),
                instance.id + ": " + instance.state + " -> " + state
                        + (reason == null ? "" : ": " + reason));
        instance.state = state;
        instance.reason = reason;
        instance.updatedAt = clock.instant();
    }

    private static java.util.UUID releaseId(Instance instance) {
        try {
            return java.util.UUID.fromString(instance.releaseId);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    RuntimeDriver driver(String name) {
        for (Handle<RuntimeDriver> handle : drivers.handles()) {
            if (handle.get().name().equals(name)) {
                return handle.get();
            }
        }
        throw new IllegalArgumentException("no runtime driver named " + name);
    }

    private static ReleaseRef ref(Instance instance) {
        return new ReleaseRef(instance.releaseId, instance.service, instance.environment, instance.version);
    }


}
