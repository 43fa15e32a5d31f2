package dev.switchback.migrator.copy.service;

import dev.switchback.migrator.config.MigratorConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link CopyDatabases#dropOverdue} at start (copies left past their retention while the migrator was down) and
 * then every interval, on a thread of its own. What is due is read from the database, so a restart loses nothing.
 */
@ApplicationScoped
public class CopyRetention {

    private static final Logger LOG = Logger.getLogger(CopyRetention.class);

    private final CopyDatabases databases;
    private final MigratorConfig config;
    private ScheduledExecutorService executor;

    public CopyRetention(CopyDatabases databases, MigratorConfig config) {
        this.databases = databases;
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "copy-retention");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::sweep, 0, config.copies().sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void sweep() {
        try {
            int dropped = databases.dropOverdue();
            if (dropped > 0) {
                LOG.infof("dropped %d schema copies past their retention", dropped);
            }
        } catch (RuntimeException e) {
            LOG.warnf("copy retention sweep failed: %s", e.getMessage());
        }
    }
}
