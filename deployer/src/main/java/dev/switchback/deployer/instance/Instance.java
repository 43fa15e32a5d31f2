package dev.switchback.deployer.instance;

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

/** One running copy of a service version, started by a runtime driver for a release. */
@Entity
@Table(name = "instance")
public class Instance extends PanacheEntityBase {

    /** id: deterministic from the release, so a redelivered request finds the instance it already started. */
    @Id
    public String id;

    /** releaseId: the release that asked for it. */
    @Column(name = "release_id", nullable = false)
    public String releaseId;

    /** service: the service it runs. */
    public String service;

    /** environment: where. */
    public String environment;

    /** version: which version. */
    public String version;

    /** state: where it stands. */
    @Enumerated(EnumType.STRING)
    public InstanceState state;

    /** pid: its process id, for the process driver. */
    public Long pid;

    /** port: the port it listens on. */
    public int port;

    /** endpoint: its address, e.g. {@code http://127.0.0.1:40123}. */
    public String endpoint;

    /** healthPath: the path its health check calls. */
    @Column(name = "health_path")
    public String healthPath;

    /** spec: the release's spec as JSON, passed on to the switcher when green is ready. */
    public String spec;

    /** reason: why it failed, was isolated or retired. */
    public String reason;

    /** deadline: when a STARTING instance that is still not healthy counts as failed. */
    public Instant deadline;

    /** retireAt: when a WARM blue of a promoted release has drained and is stopped; null while it may take traffic back. */
    @Column(name = "retire_at")
    public Instant retireAt;

    /** createdAt: when it was started. */
    @Column(name = "created_at")
    public Instant createdAt;

    /** updatedAt: when its state last changed. */
    @Column(name = "updated_at")
    public Instant updatedAt;

    public static List<Instance> starting() {
        return list("state", InstanceState.STARTING);
    }

    public static Optional<Instance> ofRelease(String releaseId) {
        return find("releaseId", releaseId).firstResultOptional();
    }

    /** The instance taking the traffic of a service in an environment: blue to the next release. */
    public static Optional<Instance> live(String service, String environment) {
        return find("service = ?1 and environment = ?2 and state = ?3 order by updatedAt desc", service, environment,
                InstanceState.LIVE).firstResultOptional();
    }

    public static Optional<Instance> atEndpoint(String service, String environment, String endpoint) {
        return find("service = ?1 and environment = ?2 and endpoint = ?3 and state <> ?4", service, environment,
                endpoint, InstanceState.RETIRED).firstResultOptional();
    }

    public static List<Instance> running(String service, String environment) {
        return list("service = ?1 and environment = ?2 and state <> ?3", service, environment, InstanceState.RETIRED);
    }
}
