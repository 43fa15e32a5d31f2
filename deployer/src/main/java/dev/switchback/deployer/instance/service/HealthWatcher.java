package dev.switchback.deployer.instance.service;

import dev.switchback.deployer.config.DeployerConfig;
import dev.switchback.deployer.instance.Instance;
import dev.switchback.deployer.instance.InstanceState;
import dev.switchback.deployer.instance.runtime.Handle;
import dev.switchback.deployer.instance.runtime.RuntimeDriver;
import dev.switchback.deployer.instance.runtime.RuntimeDrivers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks the driver of every starting green this replica reaches for its readiness, and lets {@link GreenDeployment}
 * decide on the answer under the instance's lock. Also runs the reaper's sweeps. A thread of its own, apart from the Kafka
 * consumer, so a slow start never holds up other releases' events; the answers are asked outside any lock.
 */
@ApplicationScoped
public class HealthWatcher {

    private static final Logger LOG = Logger.getLogger(HealthWatcher.class);

    private final GreenDeployment greens;
    private final Reaper reaper;
    private final RuntimeDrivers drivers;
    private final DeployerConfig config;
    private ScheduledExecutorService executor;
    private long rounds;

    public HealthWatcher(GreenDeployment greens, Reaper reaper, RuntimeDrivers drivers, DeployerConfig config) {
        this.greens = greens;
        this.reaper = reaper;
        this.drivers = drivers;
        this.config = config;
    }

    /** One pending readiness check. */
    private record Check(Handle handle, String driver) {
    }

    void start(@Observes StartupEvent startup) {
        // A dedicated thread: health is checked more often than once a second, which the scheduler does not offer.
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "health-watcher");
            thread.setDaemon(true);
            return thread;
        });
        long interval = config.healthInterval().toMillis();
        executor.scheduleWithFixedDelay(this::checkSafely, interval, interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void checkSafely() {
        try {
            checkStarting();
            reaper.retireDrained();
            // The retention sweep needs no precision: about every 20 rounds (5 s at the default interval) will do.
            if (rounds++ % 20 == 0) {
                reaper.retireExpired(config.isolationRetention());
                reaper.stopLeftOvers();
            }
        } catch (RuntimeException e) {
            LOG.warnf("health check round failed: %s", e.getMessage());
        }
    }

    void checkStarting() {
        List<Check> checks = QuarkusTransaction.requiringNew().call(() -> Instance.<Instance>list("state",
                InstanceState.STARTING).stream().map(i -> new Check(i.handle(), i.driver)).toList());
        for (Check check : checks) {
            RuntimeDriver driver = drivers.named(check.driver());
            if (!driver.reaches(check.handle())) {
                continue;
            }
            greens.judge(check.handle().instanceId(), driver.readiness(check.handle()));
        }
    }
}
