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
 * Appends to the audit trail in the transaction of the change it records, one writer at a time (a transaction-scoped
 * advisory lock), so the chain has no fork and no gap; and checks the chain end to end.
 */
@ApplicationScoped
public class AuditLog {

    /** LOCK: the advisory lock key that serialises appends. */
    private static final long LOCK = 0x5357_4241_5544_4954L;

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
        entityManager.createNativeQuery("SELECT pg_advisory_xact_lock(" + LOCK + ")").getSingleResult();
        AuditEntry last = AuditEntry.find("order by seq desc").firstResult();
        AuditEntry entry = new AuditEntry();
        entry.seq = last == null ? 1 : last.seq + 1;
        entry.at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        entry.actor = actor;
        entry.action = action;
        entry.service = service;
        entry.environment = environment;
        entry.releaseId = releaseId;
        entry.requestId = requestId;
        entry.detail = detail;
        entry.prevHash = last == null ? AuditEntry.GENESIS : last.hash;
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
     * What a check of the chain found.
     *
     * @param status      {@code ok} or {@code broken}
     * @param entries     entries checked
     * @param brokenAtSeq the first entry that does not hold, null when intact
     * @param reason      why it does not hold, null when intact
     */
    public record Verification(String status, long entries, Long brokenAtSeq, String reason) {
    }

    /** Recomputes every hash from the first entry on and reports the first link that does not hold. */
    @Transactional
    public Verification verify() {
        String previous = AuditEntry.GENESIS;
        long expectedSeq = 1;
        long checked = 0;
        for (AuditEntry entry : AuditEntry.<AuditEntry>list("order by seq")) {
            checked++;
            if (entry.seq != expectedSeq) {
                return new Verification("broken", checked, entry.seq, "entry " + expectedSeq + " is missing");
            }
            if (!entry.prevHash.equals(previous)) {
                return new Verification("broken", checked, entry.seq, "its previous hash does not match entry "
                        + (entry.seq - 1));
            }
            if (!entry.hash.equals(entry.computeHash())) {
                return new Verification("broken", checked, entry.seq, "its content does not match its hash");
            }
            previous = entry.hash;
            expectedSeq++;
        }
        return new Verification("ok", checked, null, null);
    }

    private static Caller currentCaller() {
        if (Arc.container() == null || !Arc.container().requestContext().isActive()) {
            return null;
        }
        Caller caller = Arc.container().instance(Caller.class).get();
        return caller.actor() == null ? null : caller;
    }
}
