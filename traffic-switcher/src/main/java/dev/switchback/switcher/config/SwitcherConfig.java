package dev.switchback.switcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the traffic-switcher. They were read under {@code switchback.router}; the three settings of
 * then are still read from their old names when the new ones are not set, so a deployment that set
 * {@code SWITCHBACK_ROUTER_BIND_HOST} keeps its routers where they were.
 */
@ConfigMapping(prefix = "switchback.switcher")
public interface SwitcherConfig {

    /** Interface the embedded routers listen on: loopback unless the application behind them is to be reached from elsewhere. */
    @WithDefault("${switchback.router.bind-host:127.0.0.1}")
    String bindHost();

    /** How often analysis reads the metrics source and sends probes; intervals are multiples of it. */
    @WithDefault("${switchback.router.analysis-tick:20ms}")
    Duration analysisTick();

    /** How long the judged intervals of a release are kept for the dashboard's chart ({@code GET /analysis/{id}}). */
    @WithDefault("14d")
    Duration analysisRetention();

    /** How long a health check of blue before a rollback may take. */
    @WithDefault("${switchback.router.health-timeout:2s}")
    Duration healthTimeout();

    /**
     * How long a router waits for an endpoint's answer between two reads before it gives up: the user gets 504, or
     * blue's answer when green fails a request safe to send twice while it is watched. nginx's
     * {@code proxy_read_timeout}, whose default this is; both routers connect within 2 s ({@code proxy_connect_timeout}).
     */
    @WithDefault("60s")
    Duration readTimeout();

    /** How long a router may take to verify new weights ("yes") after a switch before the switch fails. */
    @WithDefault("5s")
    Duration verifyDeadline();

    /** How long the switcher waits between two verifications of a router that answered "not yet". */
    @WithDefault("10ms")
    Duration verifyInterval();

    /** The Prometheus server analysis asks when a release's analysis names the {@code prometheus} metrics source. */
    Prometheus prometheus();

    /** Settings of the Prometheus metrics source. */
    interface Prometheus {

        /**
         * Base address of the Prometheus HTTP API, e.g. {@code http://prometheus:9090}. Unset: a release that asks
         * for Prometheus analysis gets no data, so its intervals are inconclusive and it is never promoted on them.
         * It is the switcher's setting, not the spec's, so a spec cannot make the switcher call an address of its
         * choosing.
         */
        Optional<URI> url();

        /**
         * The shortest time between two queries of one color: analysis ticks far more often than Prometheus scrapes,
         * and a reading in between is the last one.
         */
        @WithDefault("500ms")
        Duration minQueryInterval();

        /** How long one query may take before the reading counts as no data. */
        @WithDefault("2s")
        Duration timeout();
    }
}
