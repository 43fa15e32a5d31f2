package dev.switchback.releaseapi.stream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the live release stream ({@code GET /releases/stream}). */
@ConfigMapping(prefix = "switchback.stream")
public interface StreamConfig {

    /** Whether this replica tails the topics for the stream; off, the stream sends snapshots and heartbeats only. */
    @WithDefault("true")
    boolean enabled();

    /** How often an idle stream gets a comment line, so proxies and load balancers keep the connection open. */
    @WithDefault("15s")
    Duration heartbeat();

    /** How many events one client may have waiting; a client that falls further behind is disconnected. */
    @WithDefault("256")
    int clientBuffer();

    /** How many recent events the replica keeps for clients that reconnect with {@code Last-Event-ID}. */
    @WithDefault("2000")
    int replay();

    /**
     * How many clients may be connected to this replica's stream at once; one more is refused (503, with
     * {@code Retry-After}) rather than taking threads and memory from the API itself.
     */
    @WithDefault("200")
    int maxClients();

    /** How long a stage's event waits for release-api's own projection of it, so the status sent is the one after it. */
    @WithDefault("5s")
    Duration projectionWait();
}
