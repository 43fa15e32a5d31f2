package dev.switchback.switcher.metrics;

import dev.switchback.switcher.router.EndpointStats;

import java.util.Optional;

/**
 * Where analysis reads what an endpoint did: requests, errors and latency buckets (so a p99), separate from the
 * router that sends the traffic. Readings are cumulative; two of them subtract into an interval. "No data" (the
 * source cannot measure this route) is an empty answer, never zero requests: analysis judges it inconclusive.
 */
public interface MetricsSource {

    /**
     * What the endpoint of the route did up to now.
     *
     * @param route    the route's name, {@code <service>.<environment>}
     * @param driver   the route's router driver
     * @param endpoint the endpoint (a color) measured
     * @return the counters, or empty when there is no data for it
     */
    Optional<EndpointStats> read(String route, String driver, String endpoint);
}
