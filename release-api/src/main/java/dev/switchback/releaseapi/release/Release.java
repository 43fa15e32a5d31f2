package dev.switchback.releaseapi.release;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One request to move a service in an environment to a version: its spec and its observed status. */
@Entity
@Table(name = "release")
public class Release extends PanacheEntityBase {

    /** id: given when the release is accepted. */
    @Id
    public UUID id;

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

    /** phase: where it stands now. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Phase phase;

    /** reason: why it is in its phase, for FAILED, ROLLED_BACK and CANCELLED; null otherwise. */
    public String reason;

    /** endpoint: address of green once it is known; null before. */
    public String endpoint;

    /** schemaOnly: a contract release, which applies migrations and deploys no code. */
    @Column(name = "schema_only", nullable = false)
    public boolean schemaOnly;

    /** afterReleaseId: the release this one was split from; it starts only once that one is live. */
    @Column(name = "after_release_id")
    public UUID afterReleaseId;

    /** emergencyReason: why it may run through a freeze window; null for an ordinary release. */
    @Column(name = "emergency_reason")
    public String emergencyReason;

    /** requestedAt: when CI asked for it. */
    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    /** updatedAt: when its phase last changed. */
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** liveAt: when it went live; null if it never did. */
    @Column(name = "live_at")
    public Instant liveAt;

    /** promotedAt: when its bake ended successfully and blue was retired; null before, and for releases never promoted. */
    @Column(name = "promoted_at")
    public Instant promotedAt;

    /** requestedBy: the token subject that submitted it. */
    @Column(name = "requested_by")
    public String requestedBy;

    /** approvalReason: why it needed approval; null when it needed none. */
    @Column(name = "approval_reason")
    public String approvalReason;

    /** approvedBy: the token subject that approved it (or rejected it: see phase); null before a decision. */
    @Column(name = "approved_by")
    public String approvedBy;

    /** approvalComment: what the approver said. */
    @Column(name = "approval_comment")
    public String approvalComment;

    /** decidedAt: when it was approved or rejected. */
    @Column(name = "decided_at")
    public Instant decidedAt;

    /** Whether the release is live and its bake has not ended: blue is warm and analysis runs. */
    public boolean isBaking() {
        return phase == Phase.LIVE && promotedAt == null;
    }

    public static List<Release> history(String service, String environment) {
        return list("service = ?1 and environment = ?2 order by requestedAt desc", service, environment);
    }

    /** The release that holds the service and environment now, if any: one in progress, or live and baking. */
    public static Optional<Release> active(String service, String environment) {
        return find("service = ?1 and environment = ?2 and (phase in ?3 or (phase = ?4 and promotedAt is null))"
                        + " order by requestedAt", service, environment,
                List.of(Phase.MIGRATING, Phase.DEPLOYING, Phase.SWITCHING, Phase.ROLLING_BACK), Phase.LIVE)
                .firstResultOptional();
    }

    /** The oldest queued release of the service and environment, the next to start. */
    public static Optional<Release> nextQueued(String service, String environment) {
        return find("service = ?1 and environment = ?2 and phase = ?3 order by requestedAt, id", service, environment,
                Phase.QUEUED).firstResultOptional();
    }

    /** The release cut over most recently, whatever happened since. */
    public static Optional<Release> lastCutOver(String service, String environment) {
        return find("service = ?1 and environment = ?2 and liveAt is not null and schemaOnly = false order by liveAt desc",
                service, environment)
                .firstResultOptional();
    }
}
