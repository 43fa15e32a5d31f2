package dev.switchback.releaseapi.migration;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A migration version the db-migrator reported applied to a service's target database. */
@Entity
@Table(name = "applied_migration")
public class AppliedMigration extends PanacheEntityBase {

    /** id: service, environment and version. */
    @EmbeddedId
    public Key id;

    /** releaseId: the release that applied it. */
    @Column(name = "release_id")
    public UUID releaseId;

    /** appliedAt: when. */
    @Column(name = "applied_at")
    public Instant appliedAt;

    /**
     * The identity of an applied migration.
     *
     * @param service     service
     * @param environment environment
     * @param version     migration version
     */
    @Embeddable
    public record Key(String service, String environment, String version) implements Serializable {
    }

    public static List<String> versions(String service, String environment) {
        return AppliedMigration.<AppliedMigration>list("id.service = ?1 and id.environment = ?2", service, environment)
                .stream().map(m -> m.id.version()).toList();
    }
}
