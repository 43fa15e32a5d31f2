package dev.switchback.releaseapi.release.service;

import dev.switchback.audit.AuditLog;
import dev.switchback.events.EventCodec;
import dev.switchback.events.Migration;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseRejected;
import dev.switchback.events.ReleaseRequested;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.UnsafeOverride;
import dev.switchback.lint.ChangeKind;
import dev.switchback.releaseapi.migration.service.MigrationPlanner;
import dev.switchback.releaseapi.release.IdempotencyKey;
import dev.switchback.releaseapi.release.Lifecycle;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.Trigger;
import dev.switchback.releaseapi.release.rest.ReleaseRequest;
import dev.switchback.releaseapi.servicespec.ServiceSpecBody;
import dev.switchback.releaseapi.servicespec.service.ServiceSpecService;
import dev.switchback.web.Problem;
import dev.switchback.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Accepts release requests: lints and plans their migrations, records the release (and the contract release a split
 * makes), and puts it in line or up for approval. A repeated Idempotency-Key returns the release the first request made.
 */
@ApplicationScoped
public class SubmissionService {

    /** What came of a release request. */
    public sealed interface Submission {
        /**
         * Accepted: recorded, and started, queued or awaiting approval; {@code linked} holds the contract release
         * split from it; {@code replayed} when an earlier request with the same Idempotency-Key made it.
         */
        record Accepted(Release release, List<Release> linked, boolean replayed) implements Submission {
        }

        /** Rejected: well-formed but refused; the refusal is published, nothing else changes. */
        record Rejected(String reason) implements Submission {
        }
    }

    private final ServiceSpecService specs;
    private final MigrationPlanner planner;
    private final ReleaseTransitions transitions;
    private final ReleaseQueue queue;
    private final Approvals approvals;
    private final AuditLog audit;
    private final Clock clock;

    public SubmissionService(ServiceSpecService specs, MigrationPlanner planner, ReleaseTransitions transitions,
                             ReleaseQueue queue, Approvals approvals, AuditLog audit, Clock clock) {
        this.specs = specs;
        this.planner = planner;
        this.transitions = transitions;
        this.queue = queue;
        this.approvals = approvals;
        this.audit = audit;
        this.clock = clock;
    }

    /** Submits a release for {@code requestedBy} (a token subject). */
    @Transactional
    public Submission submit(ReleaseRequest request, String idempotencyKey, String requestedBy) {
        List<ReleaseRequest.MigrationRequest> migrations = request.migrations() == null ? List.of() : request.migrations();
        ChangeKind kind = ChangeKind.of(request.changeKindOrNull());
        boolean split = Boolean.TRUE.equals(request.split());
        MigrationPlanner.Split plan = planner.plan(migrations, kind, split, request.overriddenRules());

        UUID id = UUID.randomUUID();
        Optional<ServiceSpecBody> spec = specs.lock(request.service(), request.environment());
        String requestHash = idempotencyKey == null ? null : hash(request);
        if (idempotencyKey != null) {
            IdempotencyKey seen = IdempotencyKey.findById(idempotencyKey, LockModeType.PESSIMISTIC_WRITE);
            if (seen != null) {
                if (!seen.requestHash.equals(requestHash)) {
                    throw new ProblemException(422, "Unprocessable Content", "Idempotency-Key " + idempotencyKey
                            + " was used for another request; use a new key for a new release",
                            List.of(new Problem.Violation("Idempotency-Key", "reused with a different request")));
                }
                Release first = Release.findById(seen.releaseId);
                return new Submission.Accepted(first, Release.list("afterReleaseId", first.id), true);
            }
        }
        ReleaseRef ref = new ReleaseRef(id.toString(), request.service(), request.environment(), request.version());
        if (spec.isEmpty()) {
            return reject(ref, "service " + request.service() + " has no spec in environment " + request.environment()
                    + "; register it with PUT /services/" + request.service() + "/environments/" + request.environment());
        }
        String artifact = request.artifact() != null ? request.artifact()
                : spec.get().artifact() != null ? spec.get().artifact().replace("{version}", request.version())
                : kubernetesImage(spec.get(), request.version());
        if (artifact == null) {
            return reject(ref, "the spec of " + request.service() + " names no default artifact: name one in the release");
        }
        Instant now = clock.instant();
        audit.append("release.submit", request.service(), request.environment(), id, "version " + request.version()
                + ", " + migrations.size() + " migration(s)" + (split ? ", split" : "")
                + (request.emergency() == null ? "" : ", emergency: " + request.emergency())
                + (request.fix() == null ? "" : ", fix release: " + request.fix())
                + (overrides(request).isEmpty() ? "" : ", " + Approvals.describe(overrides(request))));
        boolean contractRelease = kind == ChangeKind.CONTRACT;
        Release release = record(id, request, spec.get(), artifact, plan.code(), contractRelease, null, now, requestedBy);
        List<Release> linked = new ArrayList<>();
        if (!plan.contract().isEmpty()) {
            linked.add(record(UUID.randomUUID(), request, spec.get(), artifact, plan.contract(), true, id,
                    now.plusNanos(1000), requestedBy));
        }
        if (idempotencyKey != null) {
            IdempotencyKey key = new IdempotencyKey();
            key.key = idempotencyKey;
            key.requestHash = requestHash;
            key.releaseId = id;
            key.createdAt = now;
            key.persist();
        }
        return new Submission.Accepted(release, linked, false);
    }

    /** What a kubernetes runtime runs when the spec names no artifact: its image, which names the version itself. */
    private static String kubernetesImage(ServiceSpecBody spec, String version) {
        ServiceSpecBody.Kubernetes kubernetes = spec.runtime().kubernetes();
        return kubernetes == null || kubernetes.image() == null ? null : kubernetes.image().replace("{version}", version);
    }

    private Release record(UUID id, ReleaseRequest request, ServiceSpecBody spec, String artifact, List<Migration> migrations,
                           boolean contractRelease, UUID afterReleaseId, Instant now, String requestedBy) {
        String changeKind = (contractRelease ? ChangeKind.CONTRACT : ChangeKind.EXPAND).value();
        List<UnsafeOverride> overrides = overrides(request);
        // The split-off contract release deploys no code, so it is no fix release; it carries the overrides, as its
        // migrations may be the ones that need them.
        ReleaseSpec releaseSpec = new ReleaseSpec(artifact, spec.runtimeSpec(), spec.routerSpec(), spec.healthSpec(),
                spec.databaseSpec(), migrations, changeKind, contractRelease, contractRelease ? null : spec.rolloutSpec(),
                changeKind, contractRelease, overrides.isEmpty() ? null : overrides, contractRelease ? null : request.fix());
        Release release = new Release();
        release.id = id;
        release.service = request.service();
        release.environment = request.environment();
        release.version = request.version();
        release.spec = EventCodec.toJson(releaseSpec);
        release.contractRelease = contractRelease;
        release.afterReleaseId = afterReleaseId;
        release.emergencyReason = request.emergency();
        release.requestedAt = now;
        release.commitTime = request.commitInstant();
        release.updatedAt = now;
        release.requestedBy = requestedBy;
        release.approvalReason = approvals.reasonFor(release.environment, contractRelease, overrides);
        // Outside the queue until approved: a release nobody approves must not hold up the ones behind it.
        release.phase = Lifecycle.initial(release.approvalReason != null);
        release.persist();
        transitions.publish(new ReleaseRequested(ReleaseTransitions.ref(release), releaseSpec, requestedBy));
        if (release.approvalReason != null) {
            approvals.request(release, now);
        } else {
            queue.admit(release, Trigger.QUEUE, null, now);
        }
        return release;
    }

    private static List<UnsafeOverride> overrides(ReleaseRequest request) {
        return request.allowUnsafe() == null ? List.of() : request.allowUnsafe().stream()
                .map(o -> new UnsafeOverride(o.rule(), o.reason())).toList();
    }

    private Submission reject(ReleaseRef ref, String reason) {
        audit.append("release.reject", ref.service(), ref.environment(), UUID.fromString(ref.id()), reason);
        transitions.publish(new ReleaseRejected(ref, reason));
        return new Submission.Rejected(reason);
    }

    private static String hash(ReleaseRequest request) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(EventCodec.toJson(request).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
