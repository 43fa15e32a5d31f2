package dev.switchback.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;

/** One entry of the audit trail: who did what, when, to which release, chained to the entry before by its hash. */
@Entity
@Table(name = "audit_entry")
public class AuditEntry extends PanacheEntityBase {

    /** GENESIS: the previous hash of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    /** seq: position in the trail, from 1, without gaps. */
    @Id
    public long seq;

    /** at: when it happened, to the microsecond (what PostgreSQL stores). */
    public Instant at;

    /** actor: who did it: the caller of the API, or {@code pipeline} for a change an event caused. */
    public String actor;

    /** action: what was done, e.g. {@code release.submit} or {@code release.phase}. */
    public String action;

    /** service: the service concerned, if any. */
    public String service;

    /** environment: the environment concerned, if any. */
    public String environment;

    /** releaseId: the release concerned, if any. */
    @Column(name = "release_id")
    public UUID releaseId;

    /** requestId: the HTTP request (X-Request-Id) or event id that caused it. */
    @Column(name = "request_id")
    public String requestId;

    /** detail: what changed, in words or JSON. */
    public String detail;

    /** prevHash: the hash of the entry before; {@link #GENESIS} for the first. */
    @Column(name = "prev_hash")
    public String prevHash;

    /** hash: SHA-256 over this entry's fields and prevHash. */
    public String hash;

    /** The hash this entry must carry, computed from its fields; a stored hash that differs means an edit. */
    public String computeHash() {
        String canonical = String.join("\u001f", Long.toString(seq), at.truncatedTo(ChronoUnit.MICROS).toString(),
                actor, action, String.valueOf(service), String.valueOf(environment), String.valueOf(releaseId),
                String.valueOf(requestId), String.valueOf(detail), prevHash);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
