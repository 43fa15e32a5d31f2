package dev.switchback.switcher.metrics;

import dev.switchback.switcher.metrics.prometheus.PrometheusMetricsSource;
import dev.switchback.switcher.router.EndpointStats;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** The metrics source analysis reads: the one the release's analysis names, the router's when it names none. */
@ApplicationScoped
public class MetricsSources implements MetricsSource {

    private final RouterMetricsSource router;
    private final PrometheusMetricsSource prometheus;

    public MetricsSources(RouterMetricsSource router, PrometheusMetricsSource prometheus) {
        this.router = router;
        this.prometheus = prometheus;
    }

    @Override
    public Optional<EndpointStats> read(MetricsQuery query) {
        return query.metrics().prometheus() ? prometheus.read(query) : router.read(query);
    }
}
