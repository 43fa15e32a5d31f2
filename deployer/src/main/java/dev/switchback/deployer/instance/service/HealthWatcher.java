package dev.switchback.deployer.instance.service;

import dev.switchback.deployer.config.DeployerConfig;
import dev.switchback.deployer.instance.Instance;
import dev.switchback.events.EventCodec;
import dev.switchback.events.ReleaseSpec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gates every starting green on its health check: healthy within the deadline makes it ready, otherwise it failed.
 * Runs apart from the Kafka consumer, so a slow start never holds up other releases' events.
 */
@ApplicationScoped
public class HealthWatcher {

    private static final Logger LOG = Logger.getLogger(HealthWatcher.class);

    private final DeploymentService deployments;
    private final DeployerConfig config;
    private final Clock clock;
    private final HealthProbe health;
    private ScheduledExecutorService executor;

    public HealthWatcher(DeploymentService deployments, DeployerConfig config, Clock clock, HealthProbe health) {
        this.deployments = deployments;
        this.config = config;
        this.clock = clock;
        this.health = health;
    }

    /** One pending health check. */
    private record Check(String id, String url, Long pid, String driver, Instant deadline) {
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

    private long rounds;

    private void checkSafely() {
        try {
            checkStarting();
            deployments.retireDrained();
            // The retention sweep needs no precision: about every 20 rounds (5 s at the default interval) will do.
            if (rounds++ % 20 == 0) {
                deployments.retireExpired(config.isolationRetention());
            }
        } catch (RuntimeException e) {
            LOG.warnf("health check round failed: %s", e.getMessage());
        }
    }

    void checkStarting() {
        List<Check> checks = QuarkusTransaction.requiringNew().call(() -> Instance.starting().stream()
                .map(i -> new Check(i.id, i.endpoint + i.healthPath, i.pid,
                        EventCodec.fromJson(i.spec, ReleaseSpec.class).runtime().driver(), i.deadline))
                .toList());
        for (Check check : checks) {
            String problem = health.probe(check.url(), 1);
            if (problem == null) {
                deployments.ready(check.id());
            } else if (!deployments.driver(check.driver()).isAlive(check.id(), check.pid())) {
                deployments.failed(check.id(), "the process exited before it became healthy");
            } else if (clock.instant().isAfter(check.deadline())) {
                deployments.failed(check.id(), "not healthy by its deadline; last check: " + problem);
            }
        }
    }
}
