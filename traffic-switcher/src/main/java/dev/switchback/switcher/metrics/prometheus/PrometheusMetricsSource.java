package dev.switchback.switcher.metrics.prometheus;

import dev.switchback.switcher.config.SwitcherConfig;
import dev.switchback.switcher.metrics.MetricsQuery;
import dev.switchback.switcher.router.EndpointStats;
import dev.switchback.switcher.router.LatencyHistogram;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code prometheus} metrics source: a color's requests, errors and latency histogram from the counter series
 * its instances export, read with the release's PromQL queries. The counters' increases since the first reading make
 * a cumulative reading like the router's, so analysis judges intervals, windows and early fails the same way.
 *
 * <p>No data is an empty answer, never zero requests: Prometheus unset or unreachable, a query refused, no requests
 * series (not scraped yet, or a selector that matches nothing), or no latency histogram (a p99 cannot be judged, and
 * an unjudged latency must not pass).
 */
@ApplicationScoped
public class PrometheusMetricsSource {

    private static final Logger LOG = Logger.getLogger(PrometheusMetricsSource.class);
    /** A color not read for this long is no longer watched; its counters are forgotten. */
    private static final Duration FORGET_AFTER = Duration.ofMinutes(10);

    /** What is known of one color's queries. */
    private static final class Tracked {
        final CounterIncreases requests = new CounterIncreases();
        final CounterIncreases errors = new CounterIncreases();
        final CounterIncreases buckets = new CounterIncreases();
        Optional<EndpointStats> last = Optional.empty();
        Instant readAt = Instant.EPOCH;
        Instant usedAt = Instant.EPOCH;
        String problem;
    }

    private final SwitcherConfig.Prometheus config;
    private final PrometheusClient client;
    private final Map<PromQl.Queries, Tracked> tracked = new HashMap<>();
    private boolean warnedUnset;

    public PrometheusMetricsSource(SwitcherConfig config) {
        this.config = config.prometheus();
        this.client = this.config.url().map(url -> new PrometheusClient(url, this.config.timeout())).orElse(null);
    }

    /** What the color did since it was first read, or empty for no data. */
    public synchronized Optional<EndpointStats> read(MetricsQuery query) {
        if (client == null) {
            if (!warnedUnset) {
                LOG.warn("a release asks for Prometheus analysis but switchback.switcher.prometheus.url is not set:"
                        + " its intervals have no data");
                warnedUnset = true;
            }
            return Optional.empty();
        }
        PromQl.Queries queries;
        try {
            queries = PromQl.of(query);
        } catch (IllegalArgumentException e) {
            LOG.warnf("analysis of %s: %s", query.route(), e.getMessage());
            return Optional.empty();
        }
        Instant now = Instant.now();
        forgetIdle(now);
        Tracked one = tracked.computeIfAbsent(queries, q -> new Tracked());
        one.usedAt = now;
        if (Duration.between(one.readAt, now).compareTo(config.minQueryInterval()) < 0) {
            return one.last;
        }
        one.readAt = now;
        try {
            one.last = reading(one, queries, now);
            if (one.problem != null) {
                LOG.infof("analysis of %s %s reads Prometheus again", query.route(), query.color());
                one.problem = null;
            }
        } catch (PrometheusClient.QueryFailed e) {
            if (!e.getMessage().equals(one.problem)) {
                LOG.warnf("analysis of %s %s has no data: %s", query.route(), query.color(), e.getMessage());
                one.problem = e.getMessage();
            }
            one.last = Optional.empty();
        }
        return one.last;
    }

    private Optional<EndpointStats> reading(Tracked one, PromQl.Queries queries, Instant at)
            throws PrometheusClient.QueryFailed {
        Snapshot snapshot = Snapshot.of(queries, promql -> client.query(promql, at));
        Map<Map<String, String>, Double> requests = one.requests.add(snapshot.requests());
        Map<Map<String, String>, Double> errors = one.errors.add(snapshot.errors());
        Map<Map<String, String>, Double> buckets = one.buckets.add(snapshot.buckets());
        if (!one.requests.seenAny() || !one.buckets.seenAny()) {
            throw new PrometheusClient.QueryFailed(!one.requests.seenAny()
                    ? "no series for " + queries.requests() : "no latency histogram series for " + queries.latencyBuckets());
        }
        long requested = Math.round(CounterIncreases.total(requests));
        // Errors are some of the requests; more of them can only be a reading that is still not of one moment.
        long failed = Math.min(requested, Math.round(CounterIncreases.total(errors)));
        return Optional.of(new EndpointStats(requested, failed, histogram(buckets)));
    }

    /**
     * Prometheus' cumulative {@code le} buckets as the router's latency buckets: each band between two bounds goes to
     * the router's first bucket at or above its upper bound, so a p99 read from it is never below the truth.
     */
    static long[] histogram(Map<Map<String, String>, Double> buckets) throws PrometheusClient.QueryFailed {
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        for (Map.Entry<Map<String, String>, Double> series : buckets.entrySet()) {
            String le = series.getKey().get("le");
            if (le == null) {
                throw new PrometheusClient.QueryFailed("a latency series has no le label: " + series.getKey());
            }
            double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            cumulative.merge(bound, series.getValue(), Double::sum);
        }
        long[] out = new long[LatencyHistogram.BOUNDS_MICROS.length + 1];
        double below = 0;
        for (Map.Entry<Double, Double> bound : cumulative.entrySet()) {
            // Series read a moment apart can disagree by a request or two; a band is never negative.
            double band = Math.max(0, bound.getValue() - below);
            below = Math.max(below, bound.getValue());
            int index = bound.getKey().isInfinite() ? out.length - 1
                    : LatencyHistogram.bucket((long) Math.ceil(bound.getKey() * 1_000_000));
            out[index] += Math.round(band);
        }
        return out;
    }

    private void forgetIdle(Instant now) {
        for (Iterator<Tracked> it = tracked.values().iterator(); it.hasNext(); ) {
            if (Duration.between(it.next().usedAt, now).compareTo(FORGET_AFTER) > 0) {
                it.remove();
            }
        }
    }
}
