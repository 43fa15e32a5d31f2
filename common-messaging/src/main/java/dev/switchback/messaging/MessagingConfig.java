package dev.switchback.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the outbox relay. */
@ConfigMapping(prefix = "switchback.outbox")
public interface MessagingConfig {

    /** How often the relay looks for unpublished events when nothing woke it up. */
    @WithDefault("200ms")
    Duration pollInterval();

    /** How many events the relay publishes in one batch. */
    @WithDefault("200")
    int batchSize();

    /** How long the relay waits after Kafka refused a batch before it tries again. */
    @WithDefault("1s")
    Duration retryBackoff();

    /** Whether the relay runs; tests of one handler may switch it off. */
    @WithDefault("true")
    boolean relayEnabled();
}
