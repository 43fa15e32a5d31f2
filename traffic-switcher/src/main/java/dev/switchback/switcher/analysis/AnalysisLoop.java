package dev.switchback.switcher.analysis;

import dev.switchback.events.AnalysisSpec;
import dev.switchback.switcher.config.SwitcherConfig;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The clock of analysis: every tick it reads each watched cutover's router counters for green, hands each finished
 * interval to {@link SwitchService#judge}, and sends the configured synthetic probes through the router. Its state is
 * only the last reading per cutover; the cutover's progress lives in the database, so a restart resumes the bake.
 */
@ApplicationScoped
public class AnalysisLoop {

    private static final Logger LOG = Logger.getLogger(AnalysisLoop.class);

    /** What the loop remembers of one watched cutover between ticks. */
    private static final class Watch {
        String window;
        EndpointStats last;
        EndpointStats windowStart;
        long nextDue;
        double probeCredit;
    }

    private final SwitchService switches;
    private final SwitcherConfig config;
    private final Map<String, Watch> watches = new HashMap<>();
    private final HttpClient probes = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private ScheduledExecutorService executor;

    public AnalysisLoop(SwitchService switches, SwitcherConfig config) {
        this.switches = switches;
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "switchback-analysis");
            thread.setDaemon(true);
            return thread;
        });
        long tick = config.analysisTick().toMillis();
        executor.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void tick() {
        try {
            List<SwitchService.Watched> watched = switches.watched();
            watches.keySet().retainAll(watched.stream().map(SwitchService.Watched::releaseId).toList());
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
        EndpointStats reading = switches.router(cutover.driver()).stats(cutover.route())
                .map(stats -> stats.getOrDefault(cutover.green(), EndpointStats.EMPTY))
                // A router that cannot measure leaves every interval empty: inconclusive, never a pass.
                .orElse(EndpointStats.EMPTY);
        if (watch.last == null) {
            watch.last = reading;
            watch.windowStart = reading;
            watch.window = window;
            watch.nextDue = now + TimeUnit.MILLISECONDS.toNanos(thresholds.intervalMillis());
            return;
        }
        if (!window.equals(watch.window)) {
            watch.window = window;
            watch.windowStart = watch.last;
        }
        if (now < watch.nextDue) {
            return;
        }
        watch.nextDue = now + TimeUnit.MILLISECONDS.toNanos(thresholds.intervalMillis());
        EndpointStats interval = reading.minus(watch.last);
        EndpointStats sinceWindowStart = reading.minus(watch.windowStart);
        watch.last = reading;
        switches.judge(cutover.releaseId(), Analysis.judge(cutover.green(), interval, thresholds),
                Analysis.judge(cutover.green(), sinceWindowStart, thresholds));
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
