package dev.switchback.releaseapi.release;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An Idempotency-Key a client sent with a release request, and the release it made. */
@Entity
@Table(name = "idempotency_key")
public class IdempotencyKey extends PanacheEntityBase {

    /** key: the client's key. */
    @Id
    @Column(name = "idempotency_key")
    public String key;

    /** requestHash: SHA-256 of the request it came with; the same key with another request is refused. */
    @Column(name = "request_hash", nullable = false)
    public String requestHash;

    /** releaseId: the release the first request made. */
    @Column(name = "release_id", nullable = false)
    public UUID releaseId;

    /** createdAt: when it was first seen. */
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
