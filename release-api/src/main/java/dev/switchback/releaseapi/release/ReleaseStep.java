package dev.switchback.releaseapi.release;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One fact in a release's history: what happened, in which phase it left the release, and why. */
@Entity
@Table(name = "release_step")
public class ReleaseStep extends PanacheEntityBase {

    /** id: orders the steps. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** releaseId: the release. */
    @Column(name = "release_id", nullable = false)
    public UUID releaseId;

    /** phase: the release's phase after this step. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Phase phase;

    /** eventType: the CloudEvents type of the fact. */
    @Column(name = "event_type", nullable = false)
    public String eventType;

    /** reason: details of the fact, when it has any. */
    public String reason;

    /** at: when the fact happened. */
    @Column(nullable = false)
    public Instant at;

    public static List<ReleaseStep> of(UUID releaseId) {
        return list("releaseId = ?1 order by id", releaseId);
    }
}
