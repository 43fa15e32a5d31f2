package dev.switchback.releaseapi.release;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Parameters;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One request to move a service in an environment to a version: its spec (what was asked, fixed when it was accepted)
 * and its status (phase, conditions, times). Only {@link Lifecycle}'s transitions change the phase, and every change is
 * made on the row read under its service's lock ({@code service.ReleaseTransitions}).
 */
@Entity
@Table(name = "release")
public class Release extends PanacheEntityBase {

    /** id: given when the release is accepted. */
    @Id
    public UUID id;

    /** rowVersion: counts the changes to the row; a write based on a stale read fails instead of overwriting. */
    @Version
    @Column(name = "row_version", nullable = false)
    public long rowVersion;

    /** service: the service released. */
    @Column(nullable = false)
    public String service;

    /** environment: where it is released. */
    @Column(nullable = false)
    public String environment;

    /** version: the version asked for. */
    @Column(nullable = false)
    public String version;

    /** spec: the {@link dev.switchback.events.ReleaseSpec} as JSON, fixed when the release was accepted. */
    @Column(nullable = false)
    public String spec;

    /** contractRelease: a contract release, which applies contract migrations and deploys no code. */
    @Column(name = "schema_only", nullable = false)
    public boolean contractRelease;

    /** afterReleaseId: for a contract release split from a code release, that release; it starts once that one is promoted. */
    @Column(name = "after_release_id")
    public UUID afterReleaseId;

    /** emergencyReason: why it may run through a freeze window; null for an ordinary release. */
    @Column(name = "emergency_reason")
    public String emergencyReason;

    /** requestedBy: the token subject that submitted it. */
    @Column(name = "requested_by")
    public String requestedBy;

    /** requestedAt: when CI asked for it. */
    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    /** commitTime: when the change it ships was committed, as its request said; null when it did not say. */
    @Column(name = "commit_time")
    public Instant commitTime;

    /** phase: where it stands now. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Phase phase;

    /** reason: why it is in its phase, for FAILED, ROLLED_BACK and CANCELLED; null otherwise. */
    public String reason;

    /** endpoint: address of green once it is known; null before. */
    public String endpoint;

    /** updatedAt: when its phase last changed. */
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** liveAt: when green took all traffic; null if it never did. */
    @Column(name = "live_at")
    public Instant liveAt;

    /** promotedAt: when the switcher promoted it (blue retired); null before, and for releases never promoted. */
    @Column(name = "promoted_at")
    public Instant promotedAt;

    /** conditions: the facts about it beyond its phase, each with the time its status last changed. */
    @Convert(converter = ConditionsConverter.class)
    @Column(nullable = false)
    public List<Condition> conditions = List.of();

    /** approvalReason: why it needs a second person's approval; null when it needs none. */
    @Column(name = "approval_reason")
    public String approvalReason;

    /** approvalDecision: what became of the approval; null when it needs none. */
    @Enumerated(EnumType.STRING)
    @Column(name = "approval_decision")
    public ApprovalDecision approvalDecision;

    /** approvedBy: the approver who decided (approved or rejected: see approvalDecision); null before a decision. */
    @Column(name = "approved_by")
    public String approvedBy;

    /** approvalComment: what the approver said. */
    @Column(name = "approval_comment")
    public String approvalComment;

    /** decidedAt: when an approver decided. */
    @Column(name = "decided_at")
    public Instant decidedAt;

    /** Whether the release is live and its bake has not ended: blue is warm and analysis runs. */
    public boolean isBaking() {
        return phase == Phase.LIVE && promotedAt == null;
    }

    /** Whether it holds its service and environment, so the next queued release waits: see {@link Lifecycle#holdsQueue}. */
    public boolean holdsQueue() {
        return Lifecycle.holdsQueue(phase, promotedAt != null);
    }

    /** Whether a promotion was asked for and the switcher has not said it is done: {@code Promoted} False for that reason. */
    public boolean promotionRequested() {
        return condition(Condition.PROMOTED).map(c -> Condition.PROMOTION_REQUESTED.equals(c.reason())).orElse(false);
    }

    /** The condition of that type, if it was ever set. */
    public Optional<Condition> condition(String type) {
        return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
    }

    /**
     * Sets a condition: its transition time moves only when its status changes, as Kubernetes-style conditions do.
     * The list is in {@link Condition#ORDER}.
     */
    public void setCondition(String type, boolean status, String reason, String message, Instant at) {
        String value = status ? "True" : "False";
        List<Condition> next = new ArrayList<>(conditions.size() + 1);
        boolean found = false;
        for (Condition condition : conditions) {
            if (condition.type().equals(type)) {
                found = true;
                Instant since = Objects.equals(condition.status(), value) ? condition.lastTransitionTime() : at;
                next.add(new Condition(type, value, reason, message, since));
            } else {
                next.add(condition);
            }
        }
        if (!found) {
            next.add(new Condition(type, value, reason, message, at));
        }
        next.sort(java.util.Comparator.comparingInt(c -> Condition.ORDER.indexOf(c.type())));
        conditions = List.copyOf(next);
    }

    public static List<Release> history(String service, String environment) {
        return list("service = ?1 and environment = ?2 order by requestedAt desc", service, environment);
    }

    /**
     * HOLDING: {@link Lifecycle#holdsQueue} as a query condition, with its parameters from {@link #holding()}. A promoted
     * release stays LIVE for good, so asking for the phases alone would read a service's whole history (every
     * submission and every watchdog round reading more as the history grows); this reads only the releases that hold.
     * {@code HoldingQueryTest} checks it against {@link Lifecycle#holdsQueue} for every phase, promoted or not.
     */
    public static final String HOLDING = "(phase in :inProgress or (phase = :live and promotedAt is null))";

    /** The parameters of {@link #HOLDING}. */
    public static Parameters holding() {
        return Parameters.with("inProgress", Lifecycle.IN_PROGRESS).and("live", Phase.LIVE);
    }

    /** The release that holds the service and environment now, if any (see {@link Lifecycle#holdsQueue}). */
    public static Optional<Release> active(String service, String environment) {
        return Release.<Release>find("service = :service and environment = :environment and " + HOLDING
                + " order by requestedAt", holding().and("service", service).and("environment", environment)).firstResultOptional();
    }

    /** The releases holding their service and environment now, across all of them. */
    public static List<Release> holdingAll() {
        return Release.list(HOLDING, holding());
    }

    /** The oldest queued release of the service and environment, the next to start. */
    public static Optional<Release> nextQueued(String service, String environment) {
        return find("service = ?1 and environment = ?2 and phase = ?3 order by requestedAt, id", service, environment,
                Phase.QUEUED).firstResultOptional();
    }

    /** The release cut over most recently, whatever happened since. */
    public static Optional<Release> lastCutOver(String service, String environment) {
        return find("service = ?1 and environment = ?2 and liveAt is not null and contractRelease = false"
                + " order by liveAt desc", service, environment).firstResultOptional();
    }
}
