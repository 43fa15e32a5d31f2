package dev.switchback.releaseapi.copy;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A copy of a release an admin asked for, for audit or failure analysis: the release's version against a schema copy
 * of its target database, with no traffic, until its retention ends. Its state changes only as {@link CopyState}
 * allows, on the row read under its lock.
 */
@Entity
@Table(name = "release_copy")
public class ReleaseCopy extends PanacheEntityBase {

    /** id: given when the copy is asked for; every event of the copy carries it. */
    @Id
    public UUID id;

    /** rowVersion: counts the changes to the row; a write based on a stale read fails instead of overwriting. */
    @Version
    @Column(name = "row_version", nullable = false)
    public long rowVersion;

    /** releaseId: the release copied. */
    @Column(name = "release_id", nullable = false)
    public UUID releaseId;

    /** service: the release's service. */
    public String service;

    /** environment: the release's environment. */
    public String environment;

    /** version: the version the copy runs: the release's own (its green). */
    public String version;

    /** state: see {@link CopyState}. */
    @Enumerated(EnumType.STRING)
    public CopyState state;

    /** reason: why the admin asked for it; null when none was given. */
    public String reason;

    /** requestedBy: the token subject that asked. */
    @Column(name = "requested_by")
    public String requestedBy;

    /** retention: how long it was asked to run, ISO-8601 (e.g. {@code PT2H}). */
    public String retention;

    /** failure: why it failed; null unless FAILED. */
    public String failure;

    /** retiredReason: why it was retired; null before. */
    @Column(name = "retired_reason")
    public String retiredReason;

    /** endpoint: where the running copy answers; null before it started. */
    public String endpoint;

    /** databaseName: the schema copy's name; null before it was made. */
    @Column(name = "database_name")
    public String databaseName;

    /** instanceId: the copy's instance id at the deployer; null before it started. */
    @Column(name = "instance_id")
    public String instanceId;

    /** createdAt: when it was asked for. */
    @Column(name = "created_at")
    public Instant createdAt;

    /** expiresAt: when its retention ends. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    /** startedAt: when it passed its health check. */
    @Column(name = "started_at")
    public Instant startedAt;

    /** retiredAt: when it was stopped. */
    @Column(name = "retired_at")
    public Instant retiredAt;

    /** droppedAt: when its database was dropped. */
    @Column(name = "dropped_at")
    public Instant droppedAt;

    /** The copy read under its lock, if any. */
    public static Optional<ReleaseCopy> locked(UUID id) {
        return Optional.ofNullable(findById(id, LockModeType.PESSIMISTIC_WRITE));
    }

    /** The release's copies, oldest first. */
    public static List<ReleaseCopy> ofRelease(UUID releaseId) {
        return list("releaseId = ?1 order by createdAt, id", releaseId);
    }

    /** How many copies of the release are being made or run. */
    public static long activeOf(UUID releaseId) {
        return count("releaseId = ?1 and state in ?2", releaseId, List.of(CopyState.PREPARING, CopyState.RUNNING));
    }

    /** Moves to {@code next} when its state allows; answers whether it moved. */
    public boolean moveTo(CopyState next) {
        if (!state.canBecome(next)) {
            return false;
        }
        state = next;
        return true;
    }
}
