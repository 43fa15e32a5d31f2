package dev.switchback.switcher.metrics;

import dev.switchback.switcher.router.EndpointStats;

import java.util.Optional;

/**
 * Where analysis reads what an endpoint did: requests, errors and latency buckets (so a p99), separate from the
 * router that sends the traffic. Readings are cumulative; two of them subtract into an interval. "No data" (the
 * source cannot measure this color) is an empty answer, never zero requests: analysis judges it inconclusive.
 */
public interface MetricsSource {

    /**
     * What the color asked about did up to now.
     *
     * @return the counters, or empty when there is no data for it
     */
    Optional<EndpointStats> read(MetricsQuery query);
}
