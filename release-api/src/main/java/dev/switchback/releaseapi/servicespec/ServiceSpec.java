package dev.switchback.releaseapi.servicespec;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** How to run, route and migrate one service in one environment, as registered; the spec is stored as JSON. */
@Entity
@Table(name = "service_spec")
public class ServiceSpec extends PanacheEntityBase {

    /** id: the service and environment the spec is for. */
    @EmbeddedId
    public Key id;

    /** spec: the registered {@link ServiceSpecBody} as JSON. */
    @Column(nullable = false)
    public String spec;

    /** createdAt: when it was first registered. */
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** updatedAt: when it last changed. */
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /**
     * The identity of a spec.
     *
     * @param service     service name
     * @param environment environment name
     */
    @Embeddable
    public record Key(String service, String environment) implements Serializable {
    }
}
