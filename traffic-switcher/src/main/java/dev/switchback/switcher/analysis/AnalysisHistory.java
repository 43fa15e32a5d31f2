package dev.switchback.switcher.analysis;

import dev.switchback.events.Measurement;
import dev.switchback.switcher.config.SwitcherConfig;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The intervals analysis judged, per release, as numbers a dashboard charts. Each is stored in the transaction that
 * decides on it, so whichever replica is asked answers the same and a restart loses none; they are not published as
 * events, so a bake of one interval a second adds no traffic on the topics. Kept for a retention period, then
 * swept hourly on a thread of this class's own.
 */
@ApplicationScoped
public class AnalysisHistory {

    /** PER_RELEASE: the newest intervals answered for one release (an hour at one a second). */
    public static final int PER_RELEASE = 3600;

    private static final Logger LOG = Logger.getLogger(AnalysisHistory.class);

    private final SwitcherConfig config;
    private final Clock clock;
    private ScheduledExecutorService sweeper;

    public AnalysisHistory(SwitcherConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /**
     * One judged interval.
     *
     * @param at          when it was judged
     * @param window      the step or bake it belonged to: {@code CANARY/1}, {@code BAKING/0}
     * @param greenWeight green's share of the traffic meanwhile, 0..100
     * @param requests    requests green answered or failed in the interval
     * @param errors      of them, answered 5xx or not at all
     * @param errorRate   errors / requests
     * @param p99Millis   99th percentile latency in milliseconds
     * @param verdict     {@code pass}, {@code fail} or {@code inconclusive}
     * @param reason      why the verdict
     */
    public record Interval(Instant at, String window, int greenWeight, long requests, long errors, double errorRate,
                           double p99Millis, String verdict, String reason) {
    }

    /** Keeps one judged interval of a release, in the transaction that decides on it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String releaseId, String window, int greenWeight, Measurement interval, Instant at) {
        JudgedInterval judged = new JudgedInterval();
        judged.releaseId = releaseId;
        judged.at = at;
        judged.window = window;
        judged.greenWeight = greenWeight;
        judged.requests = interval.requests();
        judged.errors = interval.errors();
        judged.errorRate = interval.errorRate();
        judged.p99Millis = interval.p99Millis();
        judged.verdict = interval.verdict();
        judged.reason = interval.reason();
        judged.persist();
    }

    /** The newest {@link #PER_RELEASE} intervals of a release, oldest first; empty when none was judged. */
    @Transactional
    public List<Interval> of(String releaseId) {
        List<JudgedInterval> newest = JudgedInterval.<JudgedInterval>find("releaseId", Sort.descending("id"), releaseId)
                .page(0, PER_RELEASE).list();
        List<Interval> intervals = new ArrayList<>(newest.size());
        for (JudgedInterval judged : newest) {
            intervals.add(new Interval(judged.at, judged.window, judged.greenWeight, judged.requests, judged.errors,
                    judged.errorRate, judged.p99Millis, judged.verdict, judged.reason));
        }
        Collections.reverse(intervals);
        return intervals;
    }

    /** Sweeps what is past its retention hourly, on a thread of its own so a long delete never delays analysis. */
    void start(@Observes StartupEvent startup) {
        sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "switchback-analysis-retention");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 60, TimeUnit.MINUTES);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    private void sweep() {
        try {
            long forgotten = forgetBefore(clock.instant().minus(config.analysisRetention()));
            if (forgotten > 0) {
                LOG.infof("forgot %d judged interval(s) older than %s", forgotten, config.analysisRetention());
            }
        } catch (RuntimeException e) {
            LOG.warnf("the sweep of judged intervals failed and runs again in an hour: %s", e.getMessage());
        }
    }

    /** Forgets the intervals judged before the given time; answers how many. */
    @Transactional
    public long forgetBefore(Instant before) {
        return JudgedInterval.delete("at < ?1", before);
    }
}
