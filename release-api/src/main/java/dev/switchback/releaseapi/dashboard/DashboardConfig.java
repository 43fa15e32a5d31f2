package dev.switchback.releaseapi.dashboard;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;

/** Where the dashboard's views of the other stages are read: release-api asks them with the caller's own token. */
@ConfigMapping(prefix = "switchback.dashboard")
public interface DashboardConfig {

    /** The deployer's API, for the instances of a service ({@code GET /instances}). */
    @WithDefault("http://127.0.0.1:8082")
    URI deployerUrl();

    /** The traffic-switcher's API, for the intervals analysis judged ({@code GET /analysis/{releaseId}}). */
    @WithDefault("http://127.0.0.1:8083")
    URI switcherUrl();

    /** How long a read of another stage may take before the dashboard is told it is unreachable. */
    @WithDefault("5s")
    Duration timeout();
}
