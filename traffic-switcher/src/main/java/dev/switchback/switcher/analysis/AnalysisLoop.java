package dev.switchback.switcher.analysis;

import dev.switchback.events.AnalysisSpec;
import dev.switchback.events.Measurement;
import dev.switchback.switcher.config.SwitcherConfig;
import dev.switchback.switcher.metrics.MetricsQuery;
import dev.switchback.switcher.metrics.MetricsSource;
import dev.switchback.switcher.route.service.SwitchService;
import dev.switchback.switcher.router.EndpointStats;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The clock of analysis: every tick it reads green's counters from the {@link MetricsSource} (never from the router
 * itself), hands each finished interval to {@link SwitchService#judge}, and sends the configured synthetic probes
 * through the route's port. No data makes an interval inconclusive, never a pass. Its state is only the last reading
 * per cutover; the cutover's progress lives in the database, so a restart resumes the bake.
 */
@ApplicationScoped
public class AnalysisLoop {

    private static final Logger LOG = Logger.getLogger(AnalysisLoop.class);

    /** What the loop remembers of one watched cutover between ticks. */
    private static final class Watch {
        String window;
        EndpointStats last;
        EndpointStats windowStart;
        /** Blue's last reading, for the comparison with blue; null until there is one. */
        EndpointStats blueLast;
        long nextDue;
        double probeCredit;
        /**
         * An early fail was handed over in this interval: the next one waits for its end. Where the switch back is
         * refused (blue unhealthy), green is so judged, and the switch tried again, once an interval, not once a tick.
         */
        boolean decidedEarly;
    }

    private final SwitchService switches;
    private final MetricsSource metrics;
    private final CutoverBaselines baselines;
    private final SwitcherConfig config;
    private final Map<String, Watch> watches = new HashMap<>();
    private final HttpClient probes = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** How many ticks the loop goes without asking the database while it watches nothing. */
    static final int IDLE_REFRESH_TICKS = 10;

    private volatile ScheduledExecutorService executor;
    private volatile boolean refreshNow;
    /** The cutovers watched as of the last look at the database; the loop's thread alone reads and writes it. */
    private List<SwitchService.Watched> watched = List.of();
    private int idleTicks;

    public AnalysisLoop(SwitchService switches, MetricsSource metrics, CutoverBaselines baselines, SwitcherConfig config) {
        this.switches = switches;
        this.baselines = baselines;
        this.metrics = metrics;
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "switchback-analysis");
            thread.setDaemon(true);
            return thread;
        });
        baselines.whenCommitted(this::nudge);
        long tick = config.analysisTick().toMillis();
        executor.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Looks now, on the loop's thread, at the cutovers in the database: one was just made here. */
    private void nudge() {
        refreshNow = true;
        ScheduledExecutorService running = executor;
        if (running != null && !running.isShutdown()) {
            running.execute(this::tick);
        }
    }

    private void tick() {
        try {
            // While nothing is watched, the database is asked every IDLE_REFRESH_TICKS ticks only (a cutover made here
            // nudges the loop at once; one made by another replica waits that long), not 50 times a second.
            if (refreshNow || !watched.isEmpty() || ++idleTicks >= IDLE_REFRESH_TICKS) {
                refreshNow = false;
                idleTicks = 0;
                watched = switches.watched();
                watches.keySet().retainAll(watched.stream().map(SwitchService.Watched::releaseId).toList());
            }
            for (SwitchService.Watched cutover : watched) {
                try {
                    observe(cutover);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "analysis of release %s failed this tick", cutover.releaseId());
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "analysis tick failed");
        }
    }

    private void observe(SwitchService.Watched cutover) {
        AnalysisSpec thresholds = cutover.rollout().analysisOrDefault();
        Watch watch = watches.computeIfAbsent(cutover.releaseId(), id -> new Watch());
        probe(cutover, thresholds, watch);
        long now = System.nanoTime();
        String window = cutover.window();
        Optional<EndpointStats> reading = metrics.read(green(cutover, thresholds));
        if (watch.window == null) {
            // From the switch to green when this replica made it; otherwise from now, the interval's first reading.
            Optional<CutoverBaselines.Baseline> baseline = baselines.take(cutover.releaseId());
            watch.last = baseline.map(CutoverBaselines.Baseline::reading).or(() -> reading).orElse(null);
            watch.blueLast = blueReading(cutover, thresholds).orElse(null);
            watch.windowStart = watch.last;
            watch.window = window;
            watch.nextDue = baseline.map(CutoverBaselines.Baseline::at).orElse(now)
                    + TimeUnit.MILLISECONDS.toNanos(thresholds.intervalMillis());
            if (baseline.isEmpty()) {
                return;
            }
        }
        if (!window.equals(watch.window)) {
            watch.window = window;
            watch.windowStart = watch.last;
        }
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(thresholds.intervalMillis());
        if (now < watch.nextDue) {
            decideEarly(cutover, thresholds, watch, reading, 1.0 - (double) (watch.nextDue - now) / intervalNanos);
            return;
        }
        watch.nextDue = now + intervalNanos;
        watch.decidedEarly = false;
        if (reading.isEmpty() || watch.last == null || watch.windowStart == null) {
            // No data, or none to subtract from yet: inconclusive, never a pass.
            watch.last = reading.orElse(null);
            if (watch.windowStart == null) {
                watch.windowStart = watch.last;
            }
            Measurement none = Analysis.noData(cutover.green(), cutover.route());
            switches.judge(cutover.releaseId(), none, none);
            return;
        }
        EndpointStats interval = reading.get().minus(watch.last);
        EndpointStats sinceWindowStart = reading.get().minus(watch.windowStart);
        watch.last = reading.get();
        Measurement verdict = Analysis.judge(cutover.green(), interval, thresholds);
        if (thresholds.maxErrorRateOverBlue() != null) {
            Optional<EndpointStats> blue = blueReading(cutover, thresholds);
            EndpointStats blueInterval = blue.isPresent() && watch.blueLast != null ? blue.get().minus(watch.blueLast) : null;
            watch.blueLast = blue.orElse(null);
            verdict = Analysis.againstBlue(verdict, interval, blueInterval, thresholds);
        }
        switches.judge(cutover.releaseId(), verdict, Analysis.judge(cutover.green(), sinceWindowStart, thresholds));
    }

    private static MetricsQuery green(SwitchService.Watched cutover, AnalysisSpec thresholds) {
        return new MetricsQuery(cutover.route(), cutover.driver(), cutover.green(), cutover.service(),
                cutover.environment(), MetricsQuery.GREEN, cutover.releaseId(), cutover.version(),
                thresholds.metricsOrDefault());
    }

    /** Blue's counters, only read when the release compares green with blue; empty for a first release. */
    private Optional<EndpointStats> blueReading(SwitchService.Watched cutover, AnalysisSpec thresholds) {
        if (thresholds.maxErrorRateOverBlue() == null || cutover.blue() == null) {
            return Optional.empty();
        }
        return metrics.read(new MetricsQuery(cutover.route(), cutover.driver(), cutover.blue(), cutover.service(),
                cutover.environment(), MetricsQuery.BLUE, cutover.blueReleaseId(), cutover.blueVersion(),
                thresholds.metricsOrDefault()));
    }

    /** Hands a fail decided before the interval's end to the switch; the interval is not read again. */
    private void decideEarly(SwitchService.Watched cutover, AnalysisSpec thresholds, Watch watch,
                             Optional<EndpointStats> reading, double elapsed) {
        if (watch.decidedEarly || reading.isEmpty() || watch.last == null || watch.windowStart == null) {
            return;
        }
        Optional<Measurement> early = Analysis.early(cutover.green(), reading.get().minus(watch.last), thresholds, elapsed);
        if (early.isPresent()) {
            EndpointStats sinceWindowStart = reading.get().minus(watch.windowStart);
            watch.last = reading.get();
            watch.nextDue = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(thresholds.intervalMillis());
            watch.decidedEarly = true;
            switches.judge(cutover.releaseId(), early.get(), Analysis.judge(cutover.green(), sinceWindowStart, thresholds));
        }
    }

    /** Sends the probe's share of requests for this tick through the router; the router counts them like any other. */
    private void probe(SwitchService.Watched cutover, AnalysisSpec thresholds, Watch watch) {
        if (thresholds.probe() == null) {
            return;
        }
        watch.probeCredit += thresholds.probe().perSecond() * config.analysisTick().toMillis() / 1000.0;
        String host = "0.0.0.0".equals(config.bindHost()) ? "127.0.0.1" : config.bindHost();
        URI uri = URI.create("http://" + host + ":" + cutover.port() + thresholds.probe().path());
        while (watch.probeCredit >= 1) {
            watch.probeCredit -= 1;
            probes.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .header("User-Agent", "switchback-probe").build(), HttpResponse.BodyHandlers.discarding());
        }
    }
}
