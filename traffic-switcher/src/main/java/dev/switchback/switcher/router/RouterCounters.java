package dev.switchback.switcher.router;

import java.util.Map;

/**
 * A router that counts what it forwards (the embedded proxy, nginx's access logs): what
 * {@link dev.switchback.switcher.metrics.RouterMetricsSource} reads. A router that cannot count does not implement it.
 */
public interface RouterCounters {

    /**
     * Counters per endpoint since the route was ensured; an endpoint the route has never sent a request to is
     * missing (zero, not unknown: every request passes through the router). Subtract two readings for an interval.
     */
    Map<String, EndpointStats> stats(String route);
}
