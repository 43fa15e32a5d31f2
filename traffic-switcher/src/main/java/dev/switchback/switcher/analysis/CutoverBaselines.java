package dev.switchback.switcher.analysis;

import dev.switchback.messaging.AfterCommit;
import dev.switchback.switcher.metrics.MetricsQuery;
import dev.switchback.switcher.metrics.MetricsSource;
import dev.switchback.switcher.router.EndpointStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Green's counters as they stood just before traffic moved to it, so its first interval counts from the switch. The
 * analysis loop only sees a cutover once its transaction committed: without this, the requests green failed in
 * between (a dozen under load) would fall before the loop's first reading and never be judged. The loop is also told
 * the moment the cutover committed, rather than finding it at its next look. Kept in memory only: a restarted
 * switcher, or a replica that did not make the cutover, starts from its first reading.
 */
@ApplicationScoped
public class CutoverBaselines {

    private static final Logger LOG = Logger.getLogger(CutoverBaselines.class);
    /** A baseline no loop took by then belongs to a cutover that failed or was made elsewhere. */
    private static final long FORGET_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** A reading and when it was taken ({@link System#nanoTime()}). */
    record Baseline(EndpointStats reading, long at) {
    }

    private final MetricsSource metrics;
    private final TransactionSynchronizationRegistry transactions;
    private final Map<String, Baseline> baselines = new ConcurrentHashMap<>();
    private volatile Runnable committed = () -> {
    };

    public CutoverBaselines(MetricsSource metrics, TransactionSynchronizationRegistry transactions) {
        this.metrics = metrics;
        this.transactions = transactions;
    }

    /** What to run once a cutover with a baseline committed: the loop's look at it. */
    void whenCommitted(Runnable action) {
        committed = action;
    }

    /**
     * Reads green's counters now, before the switch to it (no data, or a failing source, leaves no baseline), and
     * has the loop look once the cutover's transaction commits. Prometheus is not asked: its counters lag by a scrape
     * interval, so a reading before the switch is the loop's first one anyway, and a slow or unreachable server must
     * not hold up the switch (the route's lock is held here).
     */
    public void beforeSwitch(String releaseId, MetricsQuery green) {
        long now = System.nanoTime();
        baselines.values().removeIf(b -> now - b.at() > FORGET_NANOS);
        if (!green.metrics().prometheus()) {
            try {
                metrics.read(green).ifPresent(reading -> baselines.put(releaseId, new Baseline(reading, now)));
            } catch (RuntimeException e) {
                LOG.warnf("no baseline for release %s: %s", releaseId, e.getMessage());
            }
        }
        AfterCommit.run(transactions, () -> committed.run());
    }

    /** The baseline of a cutover the loop begins to watch, once. */
    Optional<Baseline> take(String releaseId) {
        return Optional.ofNullable(baselines.remove(releaseId))
                .filter(b -> System.nanoTime() - b.at() <= FORGET_NANOS);
    }
}
