package dev.switchback.releaseapi.servicespec.service;

import dev.switchback.audit.AuditLog;
import dev.switchback.events.EventCodec;
import dev.switchback.releaseapi.servicespec.KubernetesRules;
import dev.switchback.releaseapi.servicespec.ServiceSpec;
import dev.switchback.releaseapi.servicespec.ServiceSpecBody;
import dev.switchback.web.Problem;
import dev.switchback.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Registers and reads service specs. */
@ApplicationScoped
public class ServiceSpecService {

    private final Clock clock;
    private final AuditLog audit;

    public ServiceSpecService(Clock clock, AuditLog audit) {
        this.clock = clock;
        this.audit = audit;
    }

    /** Registers or replaces a spec; returns true when it is new. */
    @Transactional
    public boolean register(String service, String environment, ServiceSpecBody body) {
        if ("kubernetes".equals(body.runtime().driver())) {
            // Checked before anything is read or written: a refused spec changes nothing.
            KubernetesRules.serviceNameProblem(service).ifPresent(problem -> {
                throw new ProblemException(400, "Bad Request", "service " + service + " " + problem,
                        List.of(new Problem.Violation("service", problem)));
            });
        }
        List<String> problems = body.rollout() == null || body.rollout().analysis() == null ? List.of()
                : body.rollout().analysis().metricsProblems();
        if (!problems.isEmpty()) {
            throw new ProblemException(400, "Bad Request", String.join("; ", problems));
        }
        ServiceSpec.Key key = new ServiceSpec.Key(service, environment);
        ServiceSpec spec = ServiceSpec.findById(key, LockModeType.PESSIMISTIC_WRITE);
        Instant now = clock.instant();
        boolean created = spec == null;
        if (created) {
            spec = new ServiceSpec();
            spec.id = key;
            spec.createdAt = now;
        }
        String before = created ? null : spec.spec;
        spec.spec = EventCodec.toJson(body);
        audit.append("service-spec.put", service, environment, null, created ? "registered" : diff(before, spec.spec));
        spec.updatedAt = now;
        spec.persist();
        return created;
    }

    /** The top-level sections that changed, with their values before and after. */
    static String diff(String before, String after) {
        try {
            com.fasterxml.jackson.databind.JsonNode old = EventCodec.mapper().readTree(before);
            com.fasterxml.jackson.databind.JsonNode now = EventCodec.mapper().readTree(after);
            java.util.Set<String> fields = new java.util.TreeSet<>();
            old.fieldNames().forEachRemaining(fields::add);
            now.fieldNames().forEachRemaining(fields::add);
            StringBuilder diff = new StringBuilder();
            for (String field : fields) {
                if (!java.util.Objects.equals(old.get(field), now.get(field))) {
                    diff.append(diff.isEmpty() ? "" : "; ").append(field).append(": ").append(old.get(field))
                            .append(" -> ").append(now.get(field));
                }
            }
            return diff.isEmpty() ? "unchanged" : diff.toString();
        } catch (java.io.IOException e) {
            return "replaced";
        }
    }

    /** The keys of every registered spec, by service then environment. */
    public List<ServiceSpec.Key> registered() {
        return ServiceSpec.<ServiceSpec>find("order by id.service, id.environment").list().stream().map(s -> s.id).toList();
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
