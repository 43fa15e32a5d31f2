package dev.switchback.switcher.router.embedded;

import dev.switchback.switcher.router.EndpointStats;
import dev.switchback.switcher.router.LatencyHistogram;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One embedded route's counters for Prometheus, per color: {@code switchback_router_requests_total{route,color}},
 * {@code switchback_router_errors_total} (5xx and broken answers) and {@code switchback_router_latency_within_total{le}}
 * (requests answered within {@code le} seconds; cumulative, for {@code histogram_quantile}; the bounds are the
 * router's own buckets', each within 20 % of the label). Read from the router's histograms at scrape time, so the
 * proxy's request path does no more than it did.
 *
 * <p>The router knows endpoints, not colors: an endpoint's color is learnt from the weights it is given
 * ({@link #weightsSet}). After a promotion the next release's weights make the former green's endpoint blue.
 */
final class RouterMeters {

    /** COLORS: the label values. */
    static final List<String> COLORS = List.of("blue", "green");
    /** LE_SECONDS: the latency bounds exported. */
    static final double[] LE_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final MeterRegistry registry;
    private final Map<String, LatencyHistogram> stats;
    private final Map<String, String> colors = new ConcurrentHashMap<>();
    private final List<Meter> meters = new ArrayList<>();

    RouterMeters(MeterRegistry registry, String route, Map<String, LatencyHistogram> stats) {
        this.registry = registry;
        this.stats = stats;
        for (String color : COLORS) {
            meters.add(FunctionCounter.builder("switchback.router.requests", this, m -> m.sum(color).requests())
                    .tags("route", route, "color", color).description("requests the embedded router answered")
                    .register(registry));
            meters.add(FunctionCounter.builder("switchback.router.errors", this, m -> m.sum(color).errors())
                    .tags("route", route, "color", color).description("5xx answers and connections broken before an answer")
                    .register(registry));
            for (double le : LE_SECONDS) {
                meters.add(FunctionCounter.builder("switchback.router.latency.within", this, m -> m.within(color, le))
                        .tags("route", route, "color", color, "le", Double.toString(le))
                        .description("requests answered within le seconds").register(registry));
            }
            meters.add(FunctionCounter.builder("switchback.router.latency.within", this, m -> m.sum(color).requests())
                    .tags("route", route, "color", color, "le", "+Inf")
                    .description("requests answered within le seconds").register(registry));
        }
    }

    /**
     * Learns the endpoints' colors from the weights the route is given: of two, the first is blue and the second green
     * ({@code Weights.of(blue, green, weight)}); one alone keeps its color if known, and a new one is green (a
     * blue-green cutover gives green everything at once) with every endpoint before it now blue, or blue on a route
     * that had none (the live version a restarted switcher re-asserts, or a first release).
     */
    void weightsSet(Map<String, Integer> weights) {
        Iterator<String> endpoints = weights.keySet().iterator();
        if (weights.size() >= 2) {
            colors.put(endpoints.next(), "blue");
            colors.put(endpoints.next(), "green");
        } else if (weights.size() == 1) {
            String endpoint = endpoints.next();
            if (!colors.containsKey(endpoint)) {
                boolean first = colors.isEmpty();
                colors.replaceAll((known, color) -> "blue");
                colors.put(endpoint, first ? "blue" : "green");
            }
        }
    }

    /** The endpoint's color, as learnt; blue for one never given weights (none is, but nothing is lost). */
    String color(String endpoint) {
        return colors.getOrDefault(endpoint, "blue");
    }

    void close() {
        meters.forEach(registry::remove);
    }

    private EndpointStats sum(String color) {
        long requests = 0;
        long errors = 0;
        for (Map.Entry<String, LatencyHistogram> entry : stats.entrySet()) {
            if (color.equals(color(entry.getKey()))) {
                EndpointStats snapshot = entry.getValue().snapshot();
                requests += snapshot.requests();
                errors += snapshot.errors();
            }
        }
        return new EndpointStats(requests, errors, new long[0]);
    }

    private double within(String color, double le) {
        long micros = Math.round(le * 1_000_000);
        long count = 0;
        for (Map.Entry<String, LatencyHistogram> entry : stats.entrySet()) {
            if (color.equals(color(entry.getKey()))) {
                long[] buckets = entry.getValue().snapshot().buckets();
                for (int i = 0; i < LatencyHistogram.BOUNDS_MICROS.length && LatencyHistogram.BOUNDS_MICROS[i] <= micros; i++) {
                    count += buckets[i];
                }
            }
        }
        return count;
    }
}
