package dev.switchback.releaseapi.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of webhook delivery. */
@ConfigMapping(prefix = "switchback.webhooks")
public interface WebhookConfig {

    /** How often a replica looks for deliveries that are due. */
    @WithDefault("1s")
    Duration pollInterval();

    /** How many attempts a delivery gets before it is FAILED. */
    @WithDefault("8")
    int maxAttempts();

    /** How long after the first failed attempt the second is made; doubled after each further one. */
    @WithDefault("5s")
    Duration initialBackoff();

    /** The longest wait between two attempts. */
    @WithDefault("10m")
    Duration maxBackoff();

    /** How long a receiver may take to answer (connecting and responding) before the attempt counts as failed. */
    @WithDefault("5s")
    Duration timeout();

    /** How many due deliveries a replica claims and sends at once. */
    @WithDefault("20")
    int batchSize();

    /** Whether this replica sends deliveries; the deliveries are recorded either way. */
    @WithDefault("true")
    boolean enabled();
}
