package dev.switchback.audit;

import io.quarkus.arc.Arc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Appends to the audit trail in the transaction of the change it records, and checks the trail. The trail is one hash
 * chain per service and environment ({@link AuditEntry#chainOf}): an append waits only for an uncommitted append to
 * the same chain (a transaction-scoped advisory lock on the chain), so a chain has no fork and no gap while the
 * services released at once never wait on each other's audit.
 */
@ApplicationScoped
public class AuditLog {

    /**
     * LOCK_NAMESPACE: the first key of the two-int advisory lock an append takes, the second being hashtext(chain).
     * Two chains whose names hash alike share a lock, which only makes one wait for the other. The two-int form never
     * meets a one-bigint lock (the deployer's, the relay's): PostgreSQL keeps the two key spaces apart.
     */
    static final int LOCK_NAMESPACE = 0x4155_4454;

    private final EntityManager entityManager;
    private final Clock clock;

    public AuditLog(EntityManager entityManager, Clock clock) {
        this.entityManager = entityManager;
        this.clock = clock;
    }

    /** Records an action in the caller's transaction; the actor and request id come from the HTTP call, if any. */
    @Transactional(Transactional.TxType.MANDATORY)
    public AuditEntry append(String action, String service, String environment, UUID releaseId, String detail) {
        Caller caller = currentCaller();
        return append(caller == null ? "pipeline" : caller.actor(), action, service, environment, releaseId,
                caller == null ? null : caller.requestId(), detail);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public AuditEntry append(String actor, String action, String service, String environment, UUID releaseId,
                             String requestId, String detail) {
        String chain = AuditEntry.chainOf(service, environment);
        entityManager.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(?1, hashtext(?2))) l")
                .setParameter(1, LOCK_NAMESPACE).setParameter(2, chain).getSingleResult();
        // The chain's head and the entry's seq in one round trip, in a statement of its own after the lock's: a
        // statement's snapshot is taken when it starts, so a head read in the locking statement could miss an entry
        // committed while it waited. The seq is taken under the chain's lock, so within a chain seq grows with position.
        Object[] head = (Object[]) entityManager.createNativeQuery("SELECT nextval('audit_entry_seq'), h.position, h.hash"
                        + " FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT position, hash FROM audit_entry WHERE chain = ?1"
                        + " ORDER BY position DESC LIMIT 1) h ON true")
                .setParameter(1, chain).getSingleResult();
        AuditEntry entry = new AuditEntry();
        entry.seq = ((Number) head[0]).longValue();
        entry.chain = chain;
        entry.position = head[1] == null ? 1 : ((Number) head[1]).longValue() + 1;
        entry.at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        entry.actor = actor;
        entry.action = action;
        entry.service = service;
        entry.environment = environment;
        entry.releaseId = releaseId;
        entry.requestId = requestId;
        entry.detail = detail;
        entry.prevHash = head[1] == null ? AuditEntry.GENESIS : (String) head[2];
        entry.hash = entry.computeHash();
        entry.persist();
        return entry;
    }

    /** Entries in order, optionally between two instants and for one service. */
    @Transactional
    public List<AuditEntry> entries(Instant from, Instant to, String service) {
        StringBuilder query = new StringBuilder("1 = 1");
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        if (from != null) {
            query.append(" and at >= :from");
            params.put("from", from);
        }
        if (to != null) {
            query.append(" and at < :to");
            params.put("to", to);
        }
        if (service != null) {
            query.append(" and service = :service");
            params.put("service", service);
        }
        return AuditEntry.list(query + " order by seq", params);
    }

    /**
     * What a check of the trail found.
     *
     * @param status      {@code ok} or {@code broken}
     * @param entries     entries checked: every entry of the trail
     * @param brokenAtSeq the first entry (by seq) that does not hold, null when intact
     * @param reason      why it does not hold, null when intact
     * @param chains      chains checked
     */
    public record Verification(String status, long entries, Long brokenAtSeq, String reason, long chains) {
    }

    /**
     * Checks every chain from its first entry on: positions 1, 2, ... without gap, each entry in the chain of its
     * service and environment, linked to the one before and matching its own hash; reports, of each chain's first
     * entry that does not hold, the one earliest in the trail.
     */
    @Transactional
    public Verification verify() {
        List<AuditEntry> entries = AuditEntry.list("from AuditEntry e order by e.chain, e.position");
        long chains = 0;
        AuditEntry broken = null;
        String reason = null;
        String chain = null;
        AuditEntry previous = null;
        boolean chainBroken = false;
        for (AuditEntry entry : entries) {
            if (!entry.chain.equals(chain)) {
                chain = entry.chain;
                chains++;
                previous = null;
                chainBroken = false;
            }
            if (chainBroken) {
                continue; // a chain reports its first break only
            }
            String failure = check(entry, previous);
            if (failure != null) {
                chainBroken = true;
                if (broken == null || entry.seq < broken.seq) {
                    broken = entry;
                    reason = failure;
                }
            }
            previous = entry;
        }
        return broken == null ? new Verification("ok", entries.size(), null, null, chains)
                : new Verification("broken", entries.size(), broken.seq, reason, chains);
    }

    /** Why an entry does not hold after the one before it in its chain (null for its first), or null when it does. */
    private static String check(AuditEntry entry, AuditEntry previous) {
        boolean legacy = AuditEntry.LEGACY_CHAIN.equals(entry.chain);
        String expectedChain = AuditEntry.chainOf(entry.service, entry.environment);
        if (!legacy && !entry.chain.equals(expectedChain)) {
            return "it is in chain " + entry.chain + ", not in " + expectedChain + " of its service and environment";
        }
        // The legacy entries were numbered by seq when they became a chain; a row moved there later would not be.
        if (legacy && entry.position != entry.seq) {
            return "its position in the legacy chain is not its seq";
        }
        long expectedPosition = previous == null ? 1 : previous.position + 1;
        if (entry.position != expectedPosition) {
            return "entry " + expectedPosition + (legacy ? "" : " of chain " + entry.chain) + " is missing";
        }
        if (!entry.prevHash.equals(previous == null ? AuditEntry.GENESIS : previous.hash)) {
            return previous == null ? "its previous hash is not the start of a chain"
                    : "its previous hash does not match entry " + previous.seq;
        }
        if (!entry.hash.equals(entry.computeHash())) {
            return "its content does not match its hash";
        }
        return null;
    }

    private static Caller currentCaller() {
        if (Arc.container() == null || !Arc.container().requestContext().isActive()) {
            return null;
        }
        Caller caller = Arc.container().instance(Caller.class).get();
        return caller.actor() == null ? null : caller;
    }
}
