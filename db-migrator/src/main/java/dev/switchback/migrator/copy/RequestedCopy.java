package dev.switchback.migrator.copy;

import dev.switchback.events.ReleaseRef;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The schema copy of a copy an admin asked for. Its row is written with the copy's first step and changed only under its
 * row lock, so a redelivered request finds the copy made, and a drop decided twice (the deployer's word, the retention,
 * a second replica) drops once.
 */
@Entity
@Table(name = "requested_copy")
public class RequestedCopy extends PanacheEntityBase {

    /** State: what became of the schema copy. */
    public enum State {
        /** CREATED: the schema copy exists; a copy of the version may run on it. */
        CREATED,
        /** FAILED: it could not be made; nothing is left behind. */
        FAILED,
        /** DROPPED: it was dropped, or never made because its copy was retired first. */
        DROPPED
    }

    /** copyId: the id release-api gave the copy. */
    @Id
    @Column(name = "copy_id")
    public String copyId;

    /** releaseId: the release copied. */
    @Column(name = "release_id")
    public String releaseId;

    /** service: the release's service. */
    public String service;

    /** environment: the release's environment. */
    public String environment;

    /** version: the version the copy runs. */
    public String version;

    /** state: see {@link State}. */
    @Enumerated(EnumType.STRING)
    public State state;

    /** databaseName: the schema copy's name; null when it was never named (retired before it was asked for). */
    @Column(name = "database_name")
    public String databaseName;

    /** target: the release's target database spec as JSON, to drop the copy on its server; null when never made. */
    public String target;

    /** reason: why it failed or was dropped. */
    public String reason;

    /** expiresAt: when its retention ends. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    /** createdAt: when its row was written. */
    @Column(name = "created_at")
    public Instant createdAt;

    /** droppedAt: when it was dropped; null before. */
    @Column(name = "dropped_at")
    public Instant droppedAt;

    /** The copy's row read under its lock, if any. */
    public static Optional<RequestedCopy> locked(String copyId) {
        return Optional.ofNullable(findById(copyId, LockModeType.PESSIMISTIC_WRITE));
    }

    /** The ids of copies still there whose retention ended before {@code before}. */
    public static List<String> dueBefore(Instant before) {
        return RequestedCopy.<RequestedCopy>list("state = ?1 and expiresAt <= ?2", State.CREATED, before).stream()
                .map(c -> c.copyId).toList();
    }

    /** The release the copy is of, for its events. */
    public ReleaseRef release() {
        return new ReleaseRef(releaseId, service, environment, version);
    }
}
