package dev.switchback.events;

import java.time.Instant;

/**
 * An admin asked for a copy of a release, for audit or failure analysis: the release's own version against a schema
 * copy of its target database as it is now, kept running until {@code expiresAt} or until an admin retires it.
 *
 * @param release     the release copied; its {@code version} is the version the copy runs (the release's green)
 * @param copyId      id release-api gave the copy; every later event of the copy carries it
 * @param spec        the release's spec: its target database, and how its version is started and health-checked
 * @param reason      why the copy was asked for; null when none was given
 * @param requestedBy the token subject that asked
 * @param expiresAt   when the copy is retired and its database dropped, unless an admin retires it sooner
 */
public record CopyRequested(ReleaseRef release, String copyId, ReleaseSpec spec, String reason, String requestedBy,
                            Instant expiresAt) implements SwitchbackEvent {
}
