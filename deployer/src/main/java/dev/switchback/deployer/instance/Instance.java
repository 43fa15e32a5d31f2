package dev.switchback.deployer.instance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.switchback.deployer.instance.runtime.Handle;
import dev.switchback.events.EventCodec;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One running copy of a service version, started by a runtime driver for a release. Every change of its state is
 * made under the lock of its service and environment ({@link #lockScope}) on a row read {@code FOR UPDATE}; the row
 * version catches a writer that did neither.
 */
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

    /** version: which version of the service. */
    public String version;

    /** state: where it stands; changes only as {@link InstanceState#canBecome} allows. */
    @Enumerated(EnumType.STRING)
    public InstanceState state;

    /** driver: the name of the runtime driver that started it. */
    public String driver;

    /** endpoint: its address from the driver's handle, e.g. {@code http://127.0.0.1:40123}. */
    public String endpoint;

    /** driverData: the driver's own data from the handle, as a JSON object of strings (a pid, a port, a node). */
    @Column(name = "driver_data")
    public String driverData;

    /** healthPath: the path its health check calls. */
    @Column(name = "health_path")
    public String healthPath;

    /** spec: the release's spec as JSON, passed on to the switcher when green is ready. */
    public String spec;

    /** reason: why it is in its state, as operators read it. */
    public String reason;

    /**
     * traceparent: the trace context green was started in, null when nothing is traced; its health gate's outcome is
     * published in it, so the cutover that follows stays in the release's trace.
     */
    public String traceparent;

    /** deadline: when a STARTING instance that is still not healthy counts as failed. */
    public Instant deadline;

    /** retireAt: when a DRAINING blue has drained and is retired; null in every other state. */
    @Column(name = "retire_at")
    public Instant retireAt;

    /** retireReason: the reason a DRAINING blue is retired with once drained; null in every other state. */
    @Column(name = "retire_reason")
    public String retireReason;

    /** stoppedAt: when a RETIRED instance was stopped; null while the node that runs it has yet to stop it. */
    @Column(name = "stopped_at")
    public Instant stoppedAt;

    /** rowVersion: optimistic lock: a change made on a stale copy of the row fails instead of applying twice. */
    @Version
    @Column(name = "row_version")
    public long rowVersion;

    /** createdAt: when it was started. */
    @Column(name = "created_at")
    public Instant createdAt;

    /** updatedAt: when its state last changed. */
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The driver's handle of this instance. */
    public Handle handle() {
        try {
            Map<String, String> data = driverData == null ? Map.of()
                    : EventCodec.mapper().readValue(driverData, new TypeReference<Map<String, String>>() { });
            return new Handle(id, URI.create(endpoint), data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable driver data of " + id + ": " + e.getMessage(), e);
        }
    }

    /** Records the handle the driver returned (at a start, or a start again after the instance was lost). */
    public void handle(Handle handle) {
        endpoint = handle.endpoint().toString();
        driverData = EventCodec.toJson(handle.data());
    }

    /**
     * Takes the transaction's lock on one service's instances in one environment: every decision about them, on
     * every replica, waits for the one before it to commit, and then reads what that one wrote.
     */
    public static void lockScope(Scope scope) {
        lockScope(scope.service(), scope.environment());
    }

    public static void lockScope(String service, String environment) {
        getEntityManager().createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))) l")
                .setParameter(1, "instance:" + service + "." + environment).getSingleResult();
    }

    /** What one lock guards: the instances of one service in one environment. */
    public record Scope(String service, String environment) {
    }

    /** The scope of an instance, read without loading it, so its lock is taken before the row is read. */
    public static Optional<Scope> scopeOf(String id) {
        return getEntityManager().createQuery("select i.service, i.environment from Instance i where i.id = ?1",
                Object[].class).setParameter(1, id).getResultStream().findFirst()
                .map(row -> new Scope((String) row[0], (String) row[1]));
    }

    public static Optional<Instance> locked(String id) {
        return Optional.ofNullable(findById(id, LockModeType.PESSIMISTIC_WRITE));
    }

    public static Optional<Instance> ofRelease(String releaseId) {
        return find("releaseId", releaseId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** The instance taking the traffic of a service in an environment: blue to the next release. */
    public static Optional<Instance> live(String service, String environment) {
        return find("service = ?1 and environment = ?2 and state = ?3 order by updatedAt desc", service, environment,
                InstanceState.LIVE).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public static Optional<Instance> atEndpoint(String service, String environment, String endpoint) {
        return find("service = ?1 and environment = ?2 and endpoint = ?3 and state <> ?4", service, environment,
                endpoint, InstanceState.RETIRED).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** Every instance of a service in an environment not retired, locked, in id order. */
    public static List<Instance> running(String service, String environment) {
        return find("service = ?1 and environment = ?2 and state <> ?3 order by id", service, environment,
                InstanceState.RETIRED).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    /** Ids of the instances matching a condition on {@code i}, in id order, to be re-read one by one under their lock. */
    public static List<String> ids(String condition, Object... parameters) {
        var query = getEntityManager().createQuery("select i.id from Instance i where " + condition + " order by i.id",
                String.class);
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        return query.getResultList();
    }

    /** What operators list: newest first, optionally of one service in one environment. */
    public static List<Instance> listed(String service, String environment) {
        if (service == null) {
            return list("order by createdAt desc");
        }
        return environment == null ? list("service = ?1 order by createdAt desc", service)
                : list("service = ?1 and environment = ?2 order by createdAt desc", service, environment);
    }
}
