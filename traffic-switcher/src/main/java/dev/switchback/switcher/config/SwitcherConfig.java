package dev.switchback.switcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the traffic-switcher. */
@ConfigMapping(prefix = "switchback.router")
public interface SwitcherConfig {

    /** Interface the embedded routers listen on: loopback unless the application behind them is to be reached from elsewhere. */
    @WithDefault("127.0.0.1")
    String bindHost();

    /** How often analysis reads the routers' counters and sends probes; intervals are multiples of it. */
    @WithDefault("100ms")
    Duration analysisTick();

    /** How long a health check of blue before a rollback may take. */
    @WithDefault("2s")
    Duration healthTimeout();
}
