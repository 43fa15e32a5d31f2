package dev.switchback.deployer.copy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.switchback.deployer.instance.runtime.Handle;
import dev.switchback.events.EventCodec;
import dev.switchback.events.ReleaseRef;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A copy of a release an admin asked for, as the deployer runs it: never an {@code Instance}, so no router, handover or
 * reaper of instances ever sees it. Changed only on its row read under its lock.
 */
@Entity
@Table(name = "requested_copy")
public class RequestedCopy extends PanacheEntityBase {

    /** State: where the copy stands. */
    public enum State {
        /** RUNNING: started, healthy, reachable on its endpoint until its retention ends. */
        RUNNING,
        /** FAILED: it could not start or was not healthy; it was stopped. */
        FAILED,
        /** RETIRED: stopped for good, or never started because it was retired first. */
        RETIRED
    }

    /** copyId: the id release-api gave the copy. */
    @Id
    @Column(name = "copy_id")
    public String copyId;

    /** releaseId: the release copied. */
    @Column(name = "release_id")
    public String releaseId;

    /** service: the release's service. */
    public String service;

    /** environment: the release's environment. */
    public String environment;

    /** version: the version the copy runs, the release's own. */
    public String version;

    /** instanceId: the copy's instance id, from the copy id, so a redelivery replaces a process a crash left. */
    @Column(name = "instance_id")
    public String instanceId;

    /** state: see {@link State}. */
    @Enumerated(EnumType.STRING)
    public State state;

    /** driver: the runtime driver that runs it; null when it never started. */
    public String driver;

    /** endpoint: where it answers; null when it never started. */
    public String endpoint;

    /** driverData: the driver's data from the handle, as JSON; null when it never started. */
    @Column(name = "driver_data")
    public String driverData;

    /** spec: the release's spec as JSON, to start it again where it was after a restart. */
    public String spec;

    /** copyUrl: the schema copy's JDBC URL its database addresses point at. */
    @Column(name = "copy_url")
    public String copyUrl;

    /** reason: why it failed or was retired. */
    public String reason;

    /** expiresAt: when its retention ends and it is retired. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    /** startedAt: when it passed its health check. */
    @Column(name = "started_at")
    public Instant startedAt;

    /** retiredAt: when it was stopped for good. */
    @Column(name = "retired_at")
    public Instant retiredAt;

    /** The copy's row read under its lock, if any. */
    public static Optional<RequestedCopy> locked(String copyId) {
        return Optional.ofNullable(findById(copyId, LockModeType.PESSIMISTIC_WRITE));
    }

    /** The ids of running copies whose retention ended by {@code now}. */
    public static List<String> due(Instant now) {
        return RequestedCopy.<RequestedCopy>list("state = ?1 and expiresAt <= ?2", State.RUNNING, now).stream()
                .map(c -> c.copyId).toList();
    }

    /** The ids of running copies. */
    public static List<String> running() {
        return RequestedCopy.<RequestedCopy>list("state", State.RUNNING).stream().map(c -> c.copyId).toList();
    }

    /** The release the copy is of, for its events. */
    public ReleaseRef release() {
        return new ReleaseRef(releaseId, service, environment, version);
    }

    /** The driver's handle of the copy; null when it never started. */
    public Handle handle() {
        if (endpoint == null) {
            return null;
        }
        try {
            Map<String, String> data = driverData == null ? Map.of()
                    : EventCodec.mapper().readValue(driverData, new TypeReference<Map<String, String>>() { });
            return new Handle(instanceId, URI.create(endpoint), data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable driver data of " + instanceId + ": " + e.getMessage(), e);
        }
    }

    /** Records the handle the driver returned. */
    public void handle(Handle handle) {
        endpoint = handle.endpoint().toString();
        driverData = EventCodec.toJson(handle.data());
    }
}
