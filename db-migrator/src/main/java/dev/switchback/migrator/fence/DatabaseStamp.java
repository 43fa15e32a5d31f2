package dev.switchback.migrator.fence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** The recorded identity of a stamped target database. */
@Entity
@Table(name = "database_stamp")
public class DatabaseStamp extends PanacheEntityBase {

    /** id: the service and environment the database belongs to. */
    @EmbeddedId
    public Key id;

    /** url: the JDBC URL it was stamped through. */
    public String url;

    /** systemIdentifier: the PostgreSQL cluster's system identifier; null where the user may not read it. */
    @Column(name = "system_identifier")
    public String systemIdentifier;

    /** databaseName: the database's name in its cluster. */
    @Column(name = "database_name")
    public String databaseName;

    /** stampedAt: when it was stamped. */
    @Column(name = "stamped_at")
    public Instant stampedAt;

    /**
     * The identity of a stamp.
     *
     * @param service     service
     * @param environment environment
     */
    @Embeddable
    public record Key(String service, String environment) implements Serializable {
    }
}
