package dev.switchback.releaseapi.copy.rest;

import dev.switchback.releaseapi.copy.CopyState;
import dev.switchback.releaseapi.copy.ReleaseCopy;

import java.time.Instant;
import java.util.UUID;

/**
 * A copy of a release as an admin sees it.
 *
 * @param id           id of the copy
 * @param releaseId    the release copied
 * @param version      the version it runs: the release's own, its green
 * @param versionOf    whose version that is: always {@code green}, the release's new version, never the blue before it
 * @param state        PREPARING, RUNNING, RETIRING, RETIRED or FAILED
 * @param failure      why it failed; null unless FAILED
 * @param endpoint     where the running copy answers (no router sends traffic there); null before it started
 * @param database     the schema copy's name (stamped {@code copy}); null before it was made
 * @param reason       why it was asked for
 * @param requestedBy  who asked
 * @param retention    how long it runs, ISO-8601
 * @param createdAt    when it was asked for
 * @param expiresAt    when it is retired unless retired sooner
 * @param startedAt    when it passed its health check
 * @param retiredAt    when it was stopped
 * @param retiredReason why it was retired
 * @param databaseDropped whether its database is gone
 */
public record CopyView(UUID id, UUID releaseId, String version, String versionOf, CopyState state, String failure,
                       String endpoint, String database, String reason, String requestedBy, String retention,
                       Instant createdAt, Instant expiresAt, Instant startedAt, Instant retiredAt, String retiredReason,
                       boolean databaseDropped) {

    public static CopyView of(ReleaseCopy copy) {
        return new CopyView(copy.id, copy.releaseId, copy.version, "green", copy.state, copy.failure, copy.endpoint,
                copy.databaseName, copy.reason, copy.requestedBy, copy.retention, copy.createdAt, copy.expiresAt,
                copy.startedAt, copy.retiredAt, copy.retiredReason, copy.droppedAt != null);
    }
}
