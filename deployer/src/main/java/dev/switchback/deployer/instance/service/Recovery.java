package dev.switchback.deployer.instance.service;

import dev.switchback.deployer.instance.Instance;
import dev.switchback.deployer.instance.InstanceState;
import dev.switchback.deployer.instance.runtime.Handle;
import dev.switchback.deployer.instance.runtime.Launch;
import dev.switchback.deployer.instance.runtime.RuntimeDriver;
import dev.switchback.deployer.instance.runtime.RuntimeDrivers;
import dev.switchback.events.EventCodec;
import dev.switchback.events.ReleaseSpec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;

/**
 * Recovery on start: every instance the database says runs, and this replica's drivers reach, is looked for. One
 * still running (the deployer died, its children did not) is adopted as it is; one that is gone is started again
 * where routes expect it; an isolated or draining one that is gone is retired, there is nothing left to keep.
 * Instances of another node are that node's to recover.
 */
@ApplicationScoped
public class Recovery {

    private static final Logger LOG = Logger.getLogger(Recovery.class);

    private final RuntimeDrivers drivers;
    private final InstanceLifecycle lifecycle;
    private final Clock clock;

    public Recovery(RuntimeDrivers drivers, InstanceLifecycle lifecycle, Clock clock) {
        this.drivers = drivers;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent startup) {
        recover();
    }

    public void recover() {
        for (String id : QuarkusTransaction.requiringNew().call(() -> Instance.ids("i.state <> ?1", InstanceState.RETIRED))) {
            try {
                QuarkusTransaction.requiringNew().run(() -> recover(id));
            } catch (RuntimeException e) {
                LOG.errorf("cannot recover %s: %s", id, e.getMessage());
            }
        }
    }

    private void recover(String id) {
        Instance.lockScope(Instance.scopeOf(id).orElseThrow());
        Instance instance = Instance.locked(id).filter(i -> i.state.isRunning()).orElse(null);
        if (instance == null) {
            return;
        }
        RuntimeDriver driver = drivers.named(instance.driver);
        Handle handle = instance.handle();
        if (!driver.reaches(handle)) {
            return;
        }
        if (driver.liveness(handle).isYes()) {
            LOG.infof("recovered %s (%s, %s): still running", id, instance.state, handle.data());
            return;
        }
        if (instance.state == InstanceState.ISOLATED || instance.state == InstanceState.DRAINING) {
            lifecycle.retire(instance, "it was gone when the deployer started");
            return;
        }
        ReleaseSpec spec = EventCodec.fromJson(instance.spec, ReleaseSpec.class);
        instance.handle(driver.recover(handle, Launch.of(id, InstanceLifecycle.ref(instance), spec)));
        if (instance.state == InstanceState.STARTING) {
            instance.deadline = clock.instant().plusSeconds(spec.health().deadlineSeconds());
        }
        instance.updatedAt = clock.instant();
        LOG.infof("recovered %s (%s): it was gone, started again at %s", id, instance.state, instance.endpoint);
    }
}
