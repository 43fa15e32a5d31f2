package dev.switchback.releaseapi.servicespec.service;

import dev.switchback.events.EventCodec;
import dev.switchback.releaseapi.servicespec.ServiceSpec;
import dev.switchback.releaseapi.servicespec.ServiceSpecBody;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Registers and reads service specs. */
@ApplicationScoped
public class ServiceSpecService {

    private final Clock clock;

    public ServiceSpecService(Clock clock) {
        this.clock = clock;
    }

    /** Registers or replaces a spec; returns true when it is new. */
    @Transactional
    public boolean register(String service, String environment, ServiceSpecBody body) {
        ServiceSpec.Key key = new ServiceSpec.Key(service, environment);
        ServiceSpec spec = ServiceSpec.findById(key, LockModeType.PESSIMISTIC_WRITE);
        Instant now = clock.instant();
        boolean created = spec == null;
        if (created) {
            spec = new ServiceSpec();
            spec.id = key;
            spec.createdAt = now;
        }
        spec.spec = EventCodec.toJson(body);
        spec.updatedAt = now;
        spec.persist();
        return created;
    }

    public Optional<ServiceSpecBody> find(String service, String environment) {
        return ServiceSpec.<ServiceSpec>findByIdOptional(new ServiceSpec.Key(service, environment))
                .map(spec -> EventCodec.fromJson(spec.spec, ServiceSpecBody.class));
    }

    /**
     * Locks the spec row for the rest of the transaction: it is the point where releases of one service and
     * environment are serialised.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<ServiceSpecBody> lock(String service, String environment) {
        ServiceSpec spec = ServiceSpec.findById(new ServiceSpec.Key(service, environment), LockModeType.PESSIMISTIC_WRITE);
        return Optional.ofNullable(spec).map(s -> EventCodec.fromJson(s.spec, ServiceSpecBody.class));
    }


}
