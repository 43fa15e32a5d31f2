package dev.switchback.deployer.copy.service;

import dev.switchback.deployer.config.DeployerConfig;
import dev.switchback.deployer.copy.RequestedCopy;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Retires requested copies whose retention ended, decided from their stored expiry: at start (copies left past it while
 * the deployer was down) and then every interval, on a thread of its own, each copy re-read under its lock in a
 * transaction of its own. At start, running copies still within their retention are recovered.
 */
@ApplicationScoped
public class CopyRetention {

    private static final Logger LOG = Logger.getLogger(CopyRetention.class);

    private final RequestedCopies copies;
    private final DeployerConfig config;
    private final Clock clock;
    private ScheduledExecutorService executor;

    public CopyRetention(RequestedCopies copies, DeployerConfig config, Clock clock) {
        this.copies = copies;
        this.config = config;
        this.clock = clock;
    }

    void start(@Observes StartupEvent startup) {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "copy-retention");
            thread.setDaemon(true);
            return thread;
        });
        executor.execute(() -> {
            retireDue();
            recoverRunning();
        });
        long interval = config.copySweepInterval().toMillis();
        executor.scheduleWithFixedDelay(this::retireDue, interval, interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Retires every running copy past its expiry; answers how many. */
    public int retireDue() {
        int retired = 0;
        try {
            Instant now = clock.instant();
            for (String id : QuarkusTransaction.requiringNew().call(() -> RequestedCopy.due(now))) {
                try {
                    retired += QuarkusTransaction.requiringNew().call(() -> {
                        RequestedCopy copy = RequestedCopy.locked(id).orElseThrow();
                        if (copy.state != RequestedCopy.State.RUNNING || copy.expiresAt.isAfter(clock.instant())) {
                            return 0;
                        }
                        copies.retire(copy.release(), id, "its retention ended at " + copy.expiresAt);
                        return 1;
                    });
                } catch (RuntimeException e) {
                    LOG.warnf("cannot retire copy %s now: %s", id, e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("copy retention sweep failed: %s", e.getMessage());
        }
        return retired;
    }

    private void recoverRunning() {
        try {
            for (String id : QuarkusTransaction.requiringNew().call(RequestedCopy::running)) {
                try {
                    QuarkusTransaction.requiringNew().run(() -> copies.recover(id));
                } catch (RuntimeException e) {
                    LOG.errorf("cannot recover copy %s: %s", id, e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("copy recovery failed: %s", e.getMessage());
        }
    }
}
