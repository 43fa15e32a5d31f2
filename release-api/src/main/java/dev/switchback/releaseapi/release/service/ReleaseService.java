package dev.switchback.releaseapi.release.service;

import dev.switchback.events.AnalysisFailed;
import dev.switchback.events.ApprovalRejected;
import dev.switchback.events.ApprovalRequested;
import dev.switchback.events.BakeCompleted;
import dev.switchback.events.BlueChecked;
import dev.switchback.events.CanaryStepStarted;
import dev.switchback.events.CloudEvent;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.CutoverFailed;
import dev.switchback.events.CutoverStarted;
import dev.switchback.events.EventCodec;
import dev.switchback.events.GreenDeploying;
import dev.switchback.events.GreenFailed;
import dev.switchback.events.GreenReady;
import dev.switchback.events.Migration;
import dev.switchback.events.MigrationFailed;
import dev.switchback.events.MigrationSkipped;
import dev.switchback.events.MigrationStarted;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.PromoteRequested;
import dev.switchback.events.ReleaseApproved;
import dev.switchback.events.ReleaseCancelled;
import dev.switchback.events.ReleaseFailed;
import dev.switchback.events.ReleaseLive;
import dev.switchback.events.ReleasePromoted;
import dev.switchback.events.ReleaseQueued;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseRejected;
import dev.switchback.events.ReleaseRequested;
import dev.switchback.events.ReleaseRolledBack;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.events.RollbackFailed;
import dev.switchback.events.RollbackRequested;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.lint.LintReport;
import dev.switchback.lint.LintViolation;
import dev.switchback.lint.MigrationLinter;
import dev.switchback.messaging.Outbox;
import dev.switchback.audit.AuditLog;
import dev.switchback.releaseapi.config.ReleaseConfig;
import dev.switchback.releaseapi.freeze.Freezes;
import dev.switchback.releaseapi.migration.AppliedMigration;
import dev.switchback.releaseapi.release.IdempotencyKey;
import dev.switchback.releaseapi.release.Phase;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.ReleaseStep;
import dev.switchback.releaseapi.release.rest.ReleaseRequest;
import dev.switchback.releaseapi.servicespec.ServiceSpecBody;
import dev.switchback.releaseapi.servicespec.service.ServiceSpecService;
import dev.switchback.web.Problem;
import dev.switchback.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Owns the release's state as users see it: accepts releases, runs them one at a time per service and
 * environment, and projects every stage's outcome into the release's phase and history.
 */
@ApplicationScoped
public class ReleaseService {

    private static final Logger LOG = Logger.getLogger(ReleaseService.class);

    private final ServiceSpecService specs;
    private final Outbox outbox;
    private final Clock clock;
    private final ReleaseConfig config;
    private final Freezes freezes;
    private final AuditLog audit;

    public ReleaseService(ServiceSpecService specs, Outbox outbox, Clock clock, ReleaseConfig config, Freezes freezes,
                          AuditLog audit) {
        this.audit = audit;
        this.specs = specs;
        this.outbox = outbox;
        this.clock = clock;
        this.config = config;
        this.freezes = freezes;
    }

    /**
     * Fails every release stuck in MIGRATING, DEPLOYING or SWITCHING past its deadline; the stages see the
     * failure and leave traffic on blue. A rollback stuck past its deadline leaves the release LIVE.
     */
    @Transactional
    public int enforceDeadlines() {
        Instant now = clock.instant();
        int ended = 0;
        List<Release> inProgress = Release.list("phase in ?1 or (phase = ?2 and promotedAt is null and schemaOnly = false)",
                List.of(Phase.MIGRATING, Phase.DEPLOYING, Phase.SWITCHING, Phase.ROLLING_BACK), Phase.LIVE);
        for (Release release : inProgress) {
            java.time.Duration deadline = deadline(release);
            Instant since = release.phase == Phase.LIVE ? release.liveAt : release.updatedAt;
            if (since == null || since.plus(deadline).isAfter(now)) {
                continue;
            }
            specs.lock(release.service, release.environment);
            String reason = "stuck in " + release.phase + " for more than " + deadline.toSeconds() + " s";
            if (release.phase == Phase.LIVE) {
                // The bake did not end on time (the switcher is away): the safe color is blue, which is still warm.
                String why = "the bake did not end within " + deadline.toSeconds() + " s of going live";
                step(release, Phase.ROLLING_BACK, "dev.switchback.release.rollback-requested", why, now);
                outbox.publish(new RollbackRequested(ref(release), why));
            } else if (release.phase == Phase.ROLLING_BACK) {
                step(release, Phase.LIVE, "dev.switchback.release.rollback-requested",
                        "rollback did not complete: " + reason + "; the release stays live", now);
            } else {
                fail(release, "dev.switchback.release.failed", "watchdog", reason, now);
            }
            ended++;
        }
        return ended;
    }

    private java.time.Duration deadline(Release release) {
        return switch (release.phase) {
            case MIGRATING -> config.migratingDeadline();
            // Green has its health deadline to get healthy; the deploying deadline comes on top of it.
            case DEPLOYING -> config.deployingDeadline()
                    .plusSeconds(EventCodec.fromJson(release.spec, ReleaseSpec.class).health().deadlineSeconds());
            // A canary spends its pauses switching.
            case SWITCHING -> config.switchingDeadline().plusSeconds(rollout(release).canarySeconds());
            case LIVE -> config.bakingDeadline().plusSeconds(rollout(release).bake());
            default -> config.rollingBackDeadline();
        };
    }

    private static dev.switchback.events.RolloutSpec rollout(Release release) {
        return EventCodec.fromJson(release.spec, ReleaseSpec.class).rolloutOrDefault();
    }

    /** What came of a release request. */
    public sealed interface Submission {
        /**
         * Accepted: recorded, and started or queued; {@code linked} holds the contract release split from it;
         * {@code replayed} when an earlier request with the same Idempotency-Key made it.
         */
        record Accepted(Release release, List<Release> linked, boolean replayed) implements Submission {
        }

        /** Rejected: well-formed but refused; the refusal is published, nothing else changes. */
        record Rejected(String reason) implements Submission {
        }
    }

    @Transactional
    public Submission submit(ReleaseRequest request) {
        return submit(request, null, null);
    }

    /**
     * Submits a release for {@code requestedBy} (a token subject); a repeated Idempotency-Key returns the release the
     * first request made.
     */
    @Transactional
    public Submission submit(ReleaseRequest request, String idempotencyKey, String requestedBy) {
        List<ReleaseRequest.MigrationRequest> migrations = request.migrations() == null ? List.of() : request.migrations();
        Set<String> versions = new HashSet<>();
        for (ReleaseRequest.MigrationRequest migration : migrations) {
            if (!versions.add(migration.version())) {
                throw new ProblemException(400, "Bad Request", "migration version " + migration.version() + " appears twice",
                        List.of(new Problem.Violation("migrations", "versions must be unique")));
            }
        }
        dev.switchback.lint.Phase phase = dev.switchback.lint.Phase.of(request.phase());
        boolean split = Boolean.TRUE.equals(request.split());
        if (phase == dev.switchback.lint.Phase.CONTRACT && (migrations.isEmpty() || split)) {
            throw new ProblemException(400, "Bad Request", migrations.isEmpty()
                    ? "a contract release applies migrations and nothing else: it needs at least one"
                    : "split applies to expand releases; a contract release is already the second half",
                    List.of(new Problem.Violation(migrations.isEmpty() ? "migrations" : "split", "not with phase contract")));
        }
        Plan plan = plan(migrations, phase, split);

        UUID id = UUID.randomUUID();
        ReleaseRef ref = new ReleaseRef(id.toString(), request.service(), request.environment(), request.version());
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
        if (spec.isEmpty()) {
            return reject(ref, "service " + request.service() + " has no spec in environment " + request.environment()
                    + "; register it with PUT /services/" + request.service() + "/environments/" + request.environment());
        }
        String artifact = request.artifact() != null ? request.artifact()
                : spec.get().artifact() == null ? null : spec.get().artifact().replace("{version}", request.version());
        if (artifact == null) {
            return reject(ref, "the spec of " + request.service() + " names no default artifact: name one in the release");
        }
        boolean schemaOnly = phase == dev.switchback.lint.Phase.CONTRACT;
        Instant now = clock.instant();
        audit.append("release.submit", request.service(), request.environment(), id, "version " + request.version()
                + ", " + migrations.size() + " migration(s)" + (split ? ", split" : "")
                + (request.emergency() == null ? "" : ", emergency: " + request.emergency()));
        Release release = record(id, request, spec.get(), artifact, plan.first(), phase.value(), schemaOnly, null, now,
                requestedBy);
        List<Release> linked = new ArrayList<>();
        if (!plan.second().isEmpty()) {
            linked.add(record(UUID.randomUUID(), request, spec.get(), artifact, plan.second(),
                    dev.switchback.lint.Phase.CONTRACT.value(), true, id, now.plusNanos(1000), requestedBy));
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

    /** The migrations of the release, and of the contract release split from it (empty when there is none). */
    private record Plan(List<Migration> first, List<Migration> second) {
    }

    /**
     * Lints the migrations for the release's phase and decides what runs where: operational hazards are refused in
     * every phase; contract statements ride with code only as a second, linked release when the request says split.
     */
    private static Plan plan(List<ReleaseRequest.MigrationRequest> migrations, dev.switchback.lint.Phase phase, boolean split) {
        List<Migration> all = migrations.stream()
                .map(m -> new Migration(m.version(), m.description() == null ? "" : m.description(), m.sql())).toList();
        LintReport report = MigrationLinter.lint(all.stream()
                .map(m -> new MigrationLinter.Script(m.version(), m.sql())).toList(), phase);
        List<LintViolation> hazards = report.violations().stream().filter(v -> !v.destructive()).toList();
        if (!hazards.isEmpty()) {
            throw new ProblemException(422, "Unprocessable Content", "the lint refuses " + hazards.size()
                    + " statement(s): " + describe(hazards), violations(hazards));
        }
        if (phase == dev.switchback.lint.Phase.CONTRACT || report.contract().isEmpty()) {
            return new Plan(all, List.of());
        }
        if (!split) {
            throw new ProblemException(422, "Unprocessable Content", "contract changes cannot ride with code: "
                    + describe(report.contract()) + ". Ship the code with the other migrations first, then these in a"
                    + " release with \"phase\": \"contract\" once no live version uses what they change;"
                    + " or send \"split\": true to have both releases made, the contract one following the code.",
                    violations(report.contract()));
        }
        Set<String> contractVersions = new java.util.LinkedHashSet<>();
        report.contract().forEach(v -> contractVersions.add(v.migration()));
        for (String version : contractVersions) {
            Migration migration = all.stream().filter(m -> m.version().equals(version)).findFirst().orElseThrow();
            LintReport alone = MigrationLinter.lint(List.of(new MigrationLinter.Script(version, migration.sql())),
                    dev.switchback.lint.Phase.CONTRACT);
            long destructiveStatements = alone.contract().stream().map(LintViolation::index).distinct().count();
            if (destructiveStatements < alone.statements()) {
                throw new ProblemException(422, "Unprocessable Content", "migration " + version
                        + " mixes expand and contract statements; split it into two migrations so each can ride its own release",
                        List.of(new Problem.Violation("migrations", "migration " + version + " mixes expand and contract")));
            }
        }
        List<Migration> first = all.stream().filter(m -> !contractVersions.contains(m.version())).toList();
        List<Migration> second = all.stream().filter(m -> contractVersions.contains(m.version())).toList();
        org.flywaydb.core.api.MigrationVersion highestExpand = first.stream()
                .map(m -> org.flywaydb.core.api.MigrationVersion.fromVersion(m.version()))
                .max(Comparable::compareTo).orElse(org.flywaydb.core.api.MigrationVersion.EMPTY);
        for (Migration m : second) {
            if (org.flywaydb.core.api.MigrationVersion.fromVersion(m.version()).compareTo(highestExpand) < 0) {
                throw new ProblemException(422, "Unprocessable Content", "contract migration " + m.version()
                        + " comes before expand migration " + highestExpand + "; contract migrations run later, so give"
                        + " them the higher versions", List.of(new Problem.Violation("migrations", "order")));
            }
        }
        return new Plan(first, second);
    }

    private static String hash(ReleaseRequest request) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(EventCodec.toJson(request).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The release holding a service's environments and those queued behind it, in the order they run. */
    public List<Release> queue(String service) {
        return Release.list("service = ?1 and (phase in ?2 or (phase = ?3 and promotedAt is null))"
                        + " order by environment, requestedAt", service,
                List.of(Phase.AWAITING_APPROVAL, Phase.QUEUED, Phase.MIGRATING, Phase.DEPLOYING, Phase.SWITCHING, Phase.ROLLING_BACK), Phase.LIVE);
    }

    private static String describe(List<LintViolation> violations) {
        return violations.stream()
                .map(v -> "migration " + v.migration() + " line " + v.line() + " (" + v.rule() + "): " + v.statement())
                .collect(java.util.stream.Collectors.joining("; "));
    }

    private static List<Problem.Violation> violations(List<LintViolation> violations) {
        return violations.stream()
                .map(v -> new Problem.Violation("migrations[" + v.migration() + "] line " + v.line(),
                        v.rule() + ": " + v.message() + "; instead: " + v.safeAlternative()))
                .toList();
    }

    private Release record(UUID id, ReleaseRequest request, ServiceSpecBody spec, String artifact,
                           List<Migration> migrations, String phase, boolean schemaOnly, UUID afterReleaseId, Instant now,
                           String requestedBy) {
        ReleaseRef ref = new ReleaseRef(id.toString(), request.service(), request.environment(), request.version());
        ReleaseSpec releaseSpec = new ReleaseSpec(artifact, spec.runtimeSpec(), spec.routerSpec(), spec.healthSpec(),
                spec.databaseSpec(), migrations, phase, schemaOnly, schemaOnly ? null : spec.rolloutSpec());
        Release release = new Release();
        release.id = id;
        release.service = request.service();
        release.environment = request.environment();
        release.version = request.version();
        release.spec = EventCodec.toJson(releaseSpec);
        release.phase = Phase.QUEUED;
        release.schemaOnly = schemaOnly;
        release.afterReleaseId = afterReleaseId;
        release.emergencyReason = request.emergency();
        release.requestedAt = now;
        release.updatedAt = now;
        release.requestedBy = requestedBy;
        release.approvalReason = approvalNeeded(release);
        if (release.approvalReason != null) {
            // Outside the queue until approved: a release nobody approves must not hold up the ones behind it.
            release.phase = Phase.AWAITING_APPROVAL;
        }
        release.persist();
        outbox.publish(new ReleaseRequested(ref, releaseSpec, requestedBy));
        if (release.approvalReason != null) {
            Instant expiresAt = now.plus(config.approval().expiresAfter());
            step(release, Phase.AWAITING_APPROVAL, "dev.switchback.release.approval-requested",
                    release.approvalReason + "; expires at " + expiresAt, now);
            outbox.publish(new ApprovalRequested(ref, requestedBy, release.approvalReason, expiresAt));
            return release;
        }

        Optional<Release> ahead = Release.active(release.service, release.environment)
                .or(() -> Release.nextQueued(release.service, release.environment).filter(next -> !next.id.equals(id)));
        if (ahead.isPresent()) {
            step(release, Phase.QUEUED, "dev.switchback.release.queued", "behind release " + ahead.get().id, now);
            outbox.publish(new ReleaseQueued(ref, ahead.get().id.toString()));
        } else if (!frozen(release, now)) {
            start(release, releaseSpec);
        }
        return release;
    }

    /** Why a release needs a second person's approval, or null when it does not. */
    private String approvalNeeded(Release release) {
        if (config.approval().environments().contains(release.environment)) {
            return release.environment + " is a protected environment";
        }
        if (release.schemaOnly) {
            return "it applies contract migrations, which remove what older versions may still use";
        }
        return null;
    }

    /**
     * Approves a release that waits for approval: it joins the queue (and starts if its service and environment are
     * free). The approver must not be its requester.
     */
    @Transactional
    public Release approve(UUID id, String approver, String comment) {
        Release release = awaitingDecision(id, "approve");
        if (approver.equals(release.requestedBy)) {
            throw ProblemException.forbidden("release " + id + " was requested by " + approver
                    + "; another approver must approve it");
        }
        Instant now = clock.instant();
        decide(release, approver, comment, now);
        audit.append("release.approve", release.service, release.environment, release.id,
                "approved" + (comment == null ? "" : ": " + comment));
        outbox.publish(new ReleaseApproved(ref(release), release.requestedBy, approver, comment));
        String approved = "approved by " + approver + (comment == null ? "" : ": " + comment);
        Optional<Release> ahead = Release.active(release.service, release.environment);
        if (ahead.isPresent()) {
            step(release, Phase.QUEUED, "dev.switchback.release.approved", approved + "; behind release " + ahead.get().id, now);
            outbox.publish(new ReleaseQueued(ref(release), ahead.get().id.toString()));
        } else {
            step(release, Phase.QUEUED, "dev.switchback.release.approved", approved, now);
            startNext(release);
        }
        return release;
    }

    /** Rejects a release that waits for approval: it is cancelled and never runs. */
    @Transactional
    public Release reject(UUID id, String approver, String comment) {
        Release release = awaitingDecision(id, "reject");
        Instant now = clock.instant();
        decide(release, approver, comment, now);
        String reason = "rejected by " + approver + (comment == null ? "" : ": " + comment);
        audit.append("release.reject-approval", release.service, release.environment, release.id, reason);
        outbox.publish(new ApprovalRejected(ref(release), release.requestedBy, approver, comment));
        cancel(release, "dev.switchback.release.approval-rejected", reason, now);
        return release;
    }

    private static void decide(Release release, String approver, String comment, Instant at) {
        release.approvedBy = approver;
        release.approvalComment = comment;
        release.decidedAt = at;
    }

    private Release awaitingDecision(UUID id, String verb) {
        Release release = Release.<Release>findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("no release " + id));
        specs.lock(release.service, release.environment);
        if (release.phase != Phase.AWAITING_APPROVAL) {
            throw ProblemException.conflict("release " + id + " is " + release.phase + "; only a release awaiting approval"
                    + " can be " + verb + "d" + (release.approvedBy == null ? "" : " (decided by " + release.approvedBy
                    + " at " + release.decidedAt + ")"));
        }
        if (approvalExpired(release, clock.instant())) {
            throw ProblemException.conflict("the approval of release " + id + " expired at "
                    + release.requestedAt.plus(config.approval().expiresAfter()) + "; submit it again");
        }
        return release;
    }

    private boolean approvalExpired(Release release, Instant now) {
        return !release.requestedAt.plus(config.approval().expiresAfter()).isAfter(now);
    }

    /** Cancels the releases whose approval expired before anyone decided. */
    @Transactional
    public int expireApprovals() {
        Instant now = clock.instant();
        int expired = 0;
        for (Release release : Release.<Release>list("phase", Phase.AWAITING_APPROVAL)) {
            if (approvalExpired(release, now)) {
                specs.lock(release.service, release.environment);
                cancel(release, "dev.switchback.release.cancelled",
                        "approval expired: nobody approved it within " + config.approval().expiresAfter(), now);
                expired++;
            }
        }
        return expired;
    }

    private Submission reject(ReleaseRef ref, String reason) {
        audit.append("release.reject", ref.service(), ref.environment(), UUID.fromString(ref.id()), reason);
        outbox.publish(new ReleaseRejected(ref, reason));
        return new Submission.Rejected(reason);
    }

    private void start(Release release, ReleaseSpec spec) {
        step(release, Phase.MIGRATING, "dev.switchback.release.started", null, clock.instant());
        outbox.publish(new ReleaseStarted(ref(release), spec, release.requestedBy, release.approvedBy));
    }

    public Optional<Release> find(UUID id) {
        return Release.findByIdOptional(id);
    }

    public List<ReleaseStep> steps(UUID id) {
        return ReleaseStep.of(id);
    }

    public List<Release> history(String service, String environment) {
        return Release.history(service, environment);
    }

    /** Switches traffic of the live release back to blue. */
    @Transactional
    public Release rollback(UUID id, String reason) {
        Release release = Release.<Release>findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("no release " + id));
        specs.lock(release.service, release.environment);
        if (release.schemaOnly) {
            throw ProblemException.conflict("release " + id + " changed only the schema; a schema change is not switched"
                    + " back: ship an expand release that restores what is needed");
        }
        if (release.phase != Phase.LIVE) {
            throw ProblemException.conflict("release " + id + " is " + release.phase + "; only a LIVE release can be rolled back");
        }
        Release last = Release.lastCutOver(release.service, release.environment).orElseThrow();
        if (!last.id.equals(release.id)) {
            throw ProblemException.conflict("release " + id + " is no longer the latest cutover of " + release.service
                    + " (release " + last.id + " is); to go back to " + release.version + ", ship it as a new release");
        }
        if (release.promotedAt != null) {
            String previous = Release.<Release>find("service = ?1 and environment = ?2 and liveAt < ?3 and schemaOnly = false"
                            + " order by liveAt desc", release.service, release.environment, release.liveAt)
                    .firstResultOptional().map(r -> r.version).orElse(null);
            throw ProblemException.conflict("release " + id + " was promoted at " + release.promotedAt
                    + " and blue was retired: there is no warm version to switch back to. "
                    + (previous == null ? "Ship the version you want as a new release."
                    : "To go back to " + previous + ", ship it as a new release."));
        }
        Optional<Release> active = Release.active(release.service, release.environment).filter(r -> !r.id.equals(id));
        if (active.isPresent()) {
            throw ProblemException.conflict("release " + active.get().id + " of " + release.service + " is in progress ("
                    + active.get().phase + "); roll back when it is done");
        }
        String why = reason == null || reason.isBlank() ? "rollback requested" : reason;
        audit.append("release.rollback", release.service, release.environment, release.id, why);
        step(release, Phase.ROLLING_BACK, "dev.switchback.release.rollback-requested", why, clock.instant());
        outbox.publish(new RollbackRequested(ref(release), why));
        return release;
    }

    /** Ends the bake of a live release now, successfully: the switcher completes it and blue is retired. */
    @Transactional
    public Release promote(UUID id, String reason) {
        Release release = Release.<Release>findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("no release " + id));
        specs.lock(release.service, release.environment);
        if (release.phase == Phase.LIVE && release.promotedAt != null) {
            throw ProblemException.conflict("release " + id + " was promoted already, at " + release.promotedAt);
        }
        boolean canary = release.phase == Phase.SWITCHING && release.liveAt == null && rollout(release).isCanary()
                && ReleaseStep.count("releaseId = ?1 and eventType = ?2", release.id,
                "dev.switchback.traffic.canary-step-started") > 0;
        if (!release.isBaking() && !canary) {
            throw ProblemException.conflict("release " + id + " is " + release.phase
                    + "; only a release in its canary steps or its bake can be promoted");
        }
        String why = reason == null || reason.isBlank() ? "promotion requested" : reason;
        audit.append("release.promote", release.service, release.environment, release.id, why);
        step(release, release.phase, "dev.switchback.release.promote-requested", why, clock.instant());
        outbox.publish(new PromoteRequested(ref(release), why));
        return release;
    }

    /**
     * Stops a release before it goes live: it is cancelled, its green (if any) is torn down, and the queue moves on.
     * Migrations already under way finish (they are expand-only, so blue is unaffected); a live release is rolled
     * back instead.
     */
    @Transactional
    public Release abort(UUID id, String reason) {
        Release release = Release.<Release>findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("no release " + id));
        specs.lock(release.service, release.environment);
        if (release.phase.isTerminal()) {
            throw ProblemException.conflict("release " + id + " already ended " + release.phase);
        }
        if (release.phase == Phase.LIVE || release.phase == Phase.ROLLING_BACK) {
            throw ProblemException.conflict("release " + id + " is " + release.phase
                    + "; traffic has moved, so it is rolled back (POST /releases/" + id + "/rollback), not aborted");
        }
        String why = "aborted: " + (reason == null || reason.isBlank() ? "abort requested" : reason);
        audit.append("release.abort", release.service, release.environment, release.id, why);
        cancel(release, "dev.switchback.release.cancelled", why, clock.instant());
        startNext(release);
        return release;
    }

    /** Projects one stage's outcome into the release's status. Runs in the consumer's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CloudEvent<SwitchbackEvent> event) {
        SwitchbackEvent data = event.data();
        UUID id;
        try {
            id = UUID.fromString(data.release().id());
        } catch (RuntimeException e) {
            LOG.warnf("ignoring %s for a release id that is not ours: %s", event.type(), data.release().id());
            return;
        }
        Release release = Release.findById(id);
        if (release == null) {
            LOG.warnf("ignoring %s for unknown release %s", event.type(), id);
            return;
        }
        if (release.phase.isTerminal()) {
            step(release, release.phase, event.type(), "arrived after the release ended", instant(event));
            return;
        }
        Instant at = instant(event);
        boolean stageFailure = data instanceof MigrationFailed || data instanceof GreenFailed || data instanceof CutoverFailed
                || (data instanceof BlueChecked checked && !checked.healthy());
        if (stageFailure && release.phase.ordinal() >= Phase.LIVE.ordinal()) {
            // Traffic has moved already: a late failure of an earlier stage cannot undo that; a rollback can.
            step(release, release.phase, event.type(), "late, ignored: the release is " + release.phase, at);
            return;
        }
        if (data instanceof MigrationStarted started) {
            advance(release, Phase.MIGRATING, event.type(), "migrations " + String.join(", ", started.versions()), at);
        } else if (data instanceof MigrationSucceeded succeeded) {
            recordApplied(release, succeeded.applied(), at);
            advance(release, Phase.DEPLOYING, event.type(), "applied " + (succeeded.applied().isEmpty() ? "nothing new"
                    : String.join(", ", succeeded.applied())) + " in " + succeeded.durationMillis() + " ms", at);
        } else if (data instanceof MigrationSkipped skipped) {
            advance(release, Phase.DEPLOYING, event.type(), skipped.reason(), at);
        } else if (data instanceof MigrationFailed failed) {
            fail(release, event.type(), "migration", failed.reason(), at);
        } else if (data instanceof BlueChecked checked) {
            if (!checked.healthy()) {
                fail(release, event.type(), "blue-check", "blue at " + checked.endpoint()
                        + " fails its health check against the new schema: " + checked.reason(), at);
            } else if (release.schemaOnly && release.phase != Phase.LIVE) {
                release.endpoint = checked.endpoint();
                release.promotedAt = at;
                step(release, Phase.LIVE, event.type(), "schema change applied; " + checked.reason(), at);
                outbox.publish(new ReleaseLive(ref(release), checked.endpoint()));
                startNext(release);
            } else {
                advance(release, Phase.DEPLOYING, event.type(), checked.reason(), at);
            }
        } else if (data instanceof GreenDeploying deploying) {
            release.endpoint = deploying.endpoint();
            advance(release, Phase.DEPLOYING, event.type(), "green " + deploying.instanceId() + " at " + deploying.endpoint(), at);
        } else if (data instanceof GreenReady ready) {
            advance(release, Phase.SWITCHING, event.type(), "green healthy at " + ready.endpoint(), at);
        } else if (data instanceof GreenFailed failed) {
            fail(release, event.type(), "deployment", failed.reason(), at);
        } else if (data instanceof CutoverStarted started) {
            advance(release, Phase.SWITCHING, event.type(), "router :" + started.routerPort() + " "
                    + (started.fromEndpoint() == null ? "(no blue)" : started.fromEndpoint()) + " -> " + started.toEndpoint(), at);
        } else if (data instanceof CutoverCompleted completed) {
            if (release.liveAt != null) {
                step(release, release.phase, event.type(), "already live since " + release.liveAt, at);
                return;
            }
            release.liveAt = at;
            release.endpoint = completed.toEndpoint();
            int bake = rollout(release).bake();
            step(release, Phase.LIVE, event.type(), "green takes all traffic on :" + completed.routerPort()
                    + (bake > 0 ? "; baking for " + bake + " s with blue warm" : ""), at);
            outbox.publish(new ReleaseLive(ref(release), completed.toEndpoint()));
        } else if (data instanceof CanaryStepStarted canary) {
            advance(release, Phase.SWITCHING, event.type(), "canary step " + canary.step() + "/" + canary.steps() + ": green takes "
                    + canary.greenWeight() + "% for " + canary.pauseSeconds() + " s", at);
        } else if (data instanceof AnalysisFailed failed) {
            advance(release, Phase.ROLLING_BACK, event.type(), "analysis " + failed.measurement().verdict() + ": "
                    + failed.measurement().reason(), at);
        } else if (data instanceof BakeCompleted baked) {
            if (release.phase != Phase.LIVE || release.promotedAt != null) {
                step(release, release.phase, event.type(), "ignored: the release is " + release.phase, at);
                return;
            }
            release.promotedAt = at;
            step(release, Phase.LIVE, event.type(), "promoted: " + baked.reason(), at);
            outbox.publish(new ReleasePromoted(ref(release), baked.reason()));
            startNext(release);
        } else if (data instanceof CutoverFailed failed) {
            fail(release, event.type(), "cutover", failed.reason(), at);
        } else if (data instanceof RollbackCompleted completed) {
            release.reason = (completed.restoredVersion() == null ? "rolled back; no blue to restore"
                    : "rolled back to " + completed.restoredVersion())
                    + (completed.reason() == null ? "" : ": " + completed.reason());
            step(release, Phase.ROLLED_BACK, event.type(), release.reason, at);
            outbox.publish(new ReleaseRolledBack(ref(release), completed.restoredVersion()));
            startNext(release);
        } else if (data instanceof RollbackFailed failed) {
            step(release, release.phase == Phase.ROLLING_BACK ? Phase.LIVE : release.phase, event.type(), "rollback failed: " + failed.reason(), at);
        } else {
            step(release, release.phase, event.type(), null, at);
        }
    }

    private void fail(Release release, String eventType, String stage, String reason, Instant at) {
        release.reason = stage + " failed: " + reason;
        step(release, Phase.FAILED, eventType, reason, at);
        outbox.publish(new ReleaseFailed(ref(release), stage, reason));
        startNext(release);
    }

    /**
     * Starts the next queued release of the service and environment, now that this one let go of it. A release
     * split from another runs only if that one went live; otherwise it is cancelled and the queue moves on.
     */
    private void startNext(Release done) {
        startNext(done.service, done.environment);
    }

    private void startNext(String service, String environment) {
        cancelOrphanedHalves(service, environment);
        while (true) {
            Optional<Release> queued = Release.nextQueued(service, environment);
            if (queued.isEmpty()) {
                return;
            }
            Release next = queued.get();
            Release after = next.afterReleaseId == null ? null : Release.findById(next.afterReleaseId);
            if (after != null && (after.phase != Phase.LIVE || after.promotedAt == null)) {
                cancelHalf(next, after);
                continue;
            }
            if (!frozen(next, clock.instant())) {
                start(next, EventCodec.fromJson(next.spec, ReleaseSpec.class));
            }
            return;
        }
    }

    /** Cancels the contract half of a split whose code half did not end promoted. */
    private void cancelHalf(Release half, Release after) {
        cancel(half, "dev.switchback.release.cancelled", "the release it was split from, " + after.id + ", ended "
                + after.phase + (after.phase == Phase.LIVE ? " without being promoted" : ""), clock.instant());
    }

    /** Ends a release that never went live: CANCELLED with its reason, published for the stages and consumers. */
    private void cancel(Release release, String eventType, String reason, Instant at) {
        release.reason = reason;
        step(release, Phase.CANCELLED, eventType, reason, at);
        outbox.publish(new ReleaseCancelled(ref(release), reason));
    }

    /**
     * Cancels the contract halves still waiting for approval whose code half ended without going live for good:
     * approving them later would have nothing to follow.
     */
    private void cancelOrphanedHalves(String service, String environment) {
        List<Release> waiting = Release.list("service = ?1 and environment = ?2 and phase = ?3 and afterReleaseId is not null",
                service, environment, Phase.AWAITING_APPROVAL);
        for (Release half : waiting) {
            Release after = Release.findById(half.afterReleaseId);
            if (after != null && after.phase.isTerminal()) {
                cancelHalf(half, after);
            }
        }
    }

    /**
     * Whether a freeze window holds the release in the queue now; says so in its history the first time. A release
     * with an emergency reason runs through the freeze, and that is recorded too.
     */
    private boolean frozen(Release release, Instant now) {
        Optional<Freezes.Freeze> freeze = freezes.active(release.environment, now);
        if (freeze.isEmpty()) {
            return false;
        }
        String window = release.environment + " is frozen until " + freeze.get().endsAt() + ": " + freeze.get().reason();
        if (release.emergencyReason != null) {
            step(release, release.phase, "dev.switchback.release.started", window + "; running under the emergency"
                    + " override: " + release.emergencyReason, now);
            return false;
        }
        boolean toldAlready = ReleaseStep.count("releaseId = ?1 and reason = ?2", release.id, window) > 0;
        if (!toldAlready) {
            step(release, Phase.QUEUED, "dev.switchback.release.queued", window, now);
            outbox.publish(new ReleaseQueued(ref(release), null));
        }
        return true;
    }

    /** Starts the queued releases whose environment is no longer frozen and whose service is free. */
    @Transactional
    public void startThawed() {
        List<Object[]> waiting = Release.getEntityManager().createQuery(
                "select distinct r.service, r.environment from Release r where r.phase = :queued", Object[].class)
                .setParameter("queued", Phase.QUEUED).getResultList();
        for (Object[] pair : waiting) {
            String service = (String) pair[0];
            String environment = (String) pair[1];
            specs.lock(service, environment);
            if (Release.active(service, environment).isEmpty()
                    && freezes.active(environment, clock.instant()).isEmpty()) {
                startNext(service, environment);
            }
        }
    }

    private void recordApplied(Release release, List<String> versions, Instant at) {
        for (String version : versions) {
            AppliedMigration.Key key = new AppliedMigration.Key(release.service, release.environment, version);
            if (AppliedMigration.findById(key) == null) {
                AppliedMigration applied = new AppliedMigration();
                applied.id = key;
                applied.releaseId = release.id;
                applied.appliedAt = at;
                applied.persist();
            }
        }
    }

    /**
     * A step that only moves the release forward: an event of an earlier stage arriving late (redelivered, or sent
     * again by a stage that ran twice) is recorded in the history but never moves the release back.
     */
    private void advance(Release release, Phase phase, String eventType, String reason, Instant at) {
        if (phase.ordinal() < release.phase.ordinal()) {
            step(release, release.phase, eventType, "late, ignored: " + (reason == null ? phase : reason), at);
        } else {
            step(release, phase, eventType, reason, at);
        }
    }

    private void step(Release release, Phase phase, String eventType, String reason, Instant at) {
        if (release.phase != phase) {
            audit.append("release.phase", release.service, release.environment, release.id,
                    (release.phase == null ? "new" : release.phase) + " -> " + phase + " on " + eventType
                            + (reason == null ? "" : ": " + reason));
            release.phase = phase;
            release.updatedAt = at;
        }
        ReleaseStep step = new ReleaseStep();
        step.releaseId = release.id;
        step.phase = phase;
        step.eventType = eventType;
        step.reason = reason;
        step.at = at;
        step.persist();
    }

    private Instant instant(CloudEvent<?> event) {
        return event.time() == null ? clock.instant() : event.time().toInstant();
    }

    private static ReleaseRef ref(Release release) {
        return new ReleaseRef(release.id.toString(), release.service, release.environment, release.version);
    }


}
