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

    /** LEGACY_CHAIN: the chain of the entries written while the trail was one chain, each at position = seq. */
    public static final String LEGACY_CHAIN = "";

    /** seq: order in the whole trail, from a sequence: increasing, with gaps (a rolled-back append takes one too). */
    @Id
    public long seq;

    /** chain: the chain this entry belongs to, {@link #chainOf} its service and environment (or the legacy one). */
    public String chain;

    /** position: place in its chain, from 1, without gaps. */
    public long position;

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

    /**
     * The chain of the entries of one service and environment. Names never hold a {@code /}, so the key tells
     * service from environment; an entry without either gets a key of its own too ({@code "/"} for neither), never
     * the legacy chain's. The key is not hashed itself: service and environment are, and verify() checks the key.
     */
    public static String chainOf(String service, String environment) {
        return (service == null ? "" : service) + "/" + (environment == null ? "" : environment);
    }

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
