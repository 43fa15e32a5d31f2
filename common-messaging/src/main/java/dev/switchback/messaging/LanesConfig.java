package dev.switchback.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of {@link KeyedLanes}, how a service handles the records of different services at once. */
@ConfigMapping(prefix = "switchback.lanes")
public interface LanesConfig {

    /** How many records of different keys (a service in an environment) are handled at once. */
    @WithDefault("8")
    int count();

    /** How many records may be taken from the consumer and not handled yet before it waits for the lanes. */
    @WithDefault("256")
    int maxInFlight();
}
