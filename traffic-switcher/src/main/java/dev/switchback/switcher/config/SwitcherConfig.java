package dev.switchback.switcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

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

    /** How long a health check of blue before a rollback may take. */
    @WithDefault("${switchback.router.health-timeout:2s}")
    Duration healthTimeout();

    /** How long a router may take to verify new weights ("yes") after a switch before the switch fails. */
    @WithDefault("5s")
    Duration verifyDeadline();

    /** How long the switcher waits between two verifications of a router that answered "not yet". */
    @WithDefault("10ms")
    Duration verifyInterval();
}
