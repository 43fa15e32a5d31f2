package dev.switchback.deployer.instance.service;

import dev.switchback.deployer.instance.Instance;
import dev.switchback.deployer.instance.InstanceState;
import dev.switchback.deployer.instance.runtime.Handle;
import dev.switchback.deployer.instance.runtime.RuntimeDriver;
import dev.switchback.deployer.instance.runtime.RuntimeDrivers;
import dev.switchback.messaging.AfterCommit;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stops retired instances once their retirement has committed, on threads of its own. A process takes seconds to exit
 * (sample-app ~3 s after SIGTERM); waiting for it inside the deciding transaction held the scope's lock and the
 * consumer's only thread that long, so every other service's next event waited too. The decision (RETIRED, with
 * {@code stoppedAt} still null) is made and committed first; the stop follows and records {@code stoppedAt}. A deployer
 * that dies in between leaves the instance RETIRED and not stopped, which {@link Reaper#stopLeftOvers} stops when the
 * replica of its node runs again; a retirement rolled back stops nothing.
 */
@ApplicationScoped
public class InstanceStopper {

    private static final Logger LOG = Logger.getLogger(InstanceStopper.class);

    /** THREADS: stops waited for at once; more queue behind them (the wait is for a process to exit, not CPU). */
    static final int THREADS = 16;

    private final RuntimeDrivers drivers;
    private final TransactionSynchronizationRegistry transactions;
    private final Clock clock;
    /** stopping: ids of the instances this replica is stopping now, so a sweep does not stop one a second time. */
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();
    private ThreadPoolExecutor executor;

    public InstanceStopper(RuntimeDrivers drivers, TransactionSynchronizationRegistry transactions, Clock clock) {
        this.drivers = drivers;
        this.transactions = transactions;
        this.clock = clock;
    }

    @PostConstruct
    void init() {
        AtomicInteger count = new AtomicInteger();
        executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "instance-stopper-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    void shutdown(@Observes ShutdownEvent shutdown) {
        // Stops not yet done are left to the sweep of left-overs at the next start.
        executor.shutdownNow();
    }

    /** Stops the instance once the surrounding transaction commits; at once without one. */
    public void stopAfterCommit(Instance instance) {
        String id = instance.id;
        String driver = instance.driver;
        Handle handle = instance.handle();
        AfterCommit.run(transactions, () -> stop(id, driver, handle));
    }

    /**
     * Stops the instance on a stopper thread if this replica's driver reaches it and it is not being stopped here
     * already, then records when.
     *
     * @return whether a stop was started
     */
    public boolean stop(String id, String driverName, Handle handle) {
        RuntimeDriver driver = drivers.named(driverName);
        if (!driver.reaches(handle) || !stopping.add(id)) {
            return false;
        }
        try {
            executor.execute(() -> {
                try {
                    driver.stop(handle);
                    recordStopped(id);
                } catch (RuntimeException e) {
                    // Not stopped (a cluster's API refused) or not recorded: the sweep of left-overs tries again.
                    LOG.warnf("cannot stop %s now: %s", id, e.getMessage());
                } finally {
                    stopping.remove(id);
                }
            });
            return true;
        } catch (RuntimeException e) {
            stopping.remove(id);
            LOG.warnf("cannot stop %s now: %s", id, e.getMessage());
            return false;
        }
    }

    /** Whether this replica is stopping the instance now. */
    public boolean isStopping(String id) {
        return stopping.contains(id);
    }

    private void recordStopped(String id) {
        QuarkusTransaction.requiringNew().run(() -> {
            Instance.scopeOf(id).ifPresent(Instance::lockScope);
            Instance.locked(id).filter(i -> i.state == InstanceState.RETIRED && i.stoppedAt == null)
                    .ifPresent(i -> i.stoppedAt = clock.instant());
        });
    }
}
