package dev.switchback.switcher.metrics;

import dev.switchback.switcher.router.EndpointStats;
import dev.switchback.switcher.router.Router;
import dev.switchback.switcher.router.RouterCounters;
import dev.switchback.switcher.router.Routers;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * The metrics source of routers that count what they forward ({@link RouterCounters}: embedded, nginx). Every
 * request passes through the router, so an endpoint it has not counted yet had none; a router that cannot count
 * gives no data at all.
 */
@ApplicationScoped
public class RouterMetricsSource {

    private final Routers routers;

    public RouterMetricsSource(Routers routers) {
        this.routers = routers;
    }

    /** What the route's router counted for the endpoint. */
    public Optional<EndpointStats> read(MetricsQuery query) {
        Router router = routers.named(query.driver());
        if (router instanceof RouterCounters counters) {
            return Optional.of(counters.stats(query.route()).getOrDefault(query.endpoint(), EndpointStats.EMPTY));
        }
        return Optional.empty();
    }
}
