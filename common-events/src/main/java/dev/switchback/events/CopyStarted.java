package dev.switchback.events;

import java.time.Instant;

/**
 * A requested copy runs and passed its health check: the release's version, every database address pointed at the
 * schema copy, on an endpoint of its own that no router sends traffic to.
 *
 * @param release    the release copied; its {@code version} is the version running
 * @param copyId     the copy this is about
 * @param instanceId the copy's instance id, never that of a real instance
 * @param endpoint   where the copy answers, e.g. {@code http://127.0.0.1:40123}
 * @param database   the schema copy's database name
 * @param expiresAt  when it is retired
 */
public record CopyStarted(ReleaseRef release, String copyId, String instanceId, String endpoint, String database,
                          Instant expiresAt) implements SwitchbackEvent {
}
