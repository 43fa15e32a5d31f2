package dev.switchback.events;

import java.time.Instant;

/**
 * The schema copy of a requested copy is made: the release's target database's schema and migration history, no rows,
 * in a scratch database stamped {@code copy}; the deployer is to start the release's version against it.
 *
 * @param release   the release copied
 * @param copyId    the copy this is about
 * @param url       the schema copy's JDBC URL, without credentials: the version's database addresses are pointed at it
 * @param database  the schema copy's database name
 * @param spec      the release's spec, passed on from the request
 * @param expiresAt when the copy's retention ends
 */
public record CopyCreated(ReleaseRef release, String copyId, String url, String database, ReleaseSpec spec,
                          Instant expiresAt) implements SwitchbackEvent {
}
