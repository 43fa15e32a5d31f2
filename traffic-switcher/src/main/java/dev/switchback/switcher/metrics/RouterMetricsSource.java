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
public class RouterMetricsSource implements MetricsSource {

    private final Routers routers;

    public RouterMetricsSource(Routers routers) {
        this.routers = routers;
    }

    @Override
    public Optional<EndpointStats> read(String route, String driver, String endpoint) {
        Router router = routers.named(driver);
        if (router instanceof RouterCounters counters) {
            return Optional.of(counters.stats(route).getOrDefault(endpoint, EndpointStats.EMPTY));
        }
        return Optional.empty();
    }
}
