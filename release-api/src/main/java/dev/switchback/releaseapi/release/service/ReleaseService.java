package dev.switchback.releaseapi.release.service;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import dev.switchback.events.ReleaseFailed;
import dev.switchback.events.ReleaseLive;
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
import dev.switchback.messaging.Outbox;
import dev.switchback.releaseapi.problem.ProblemException;
import dev.switchback.releaseapi.release.Phase;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.ReleaseStep;
import dev.switchback.releaseapi.release.rest.ReleaseRequest;
import dev.switchback.releaseapi.servicespec.ServiceSpecBody;
import dev.switchback.releaseapi.servicespec.service.ServiceSpecService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
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

    public ReleaseService(ServiceSpecService specs, Outbox outbox, Clock clock) {
        this.specs = specs;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** What came of a release request. */
    public sealed interface Submission {
        /** Accepted: recorded, and started or queued. */
        record Accepted(Release release) implements Submission {
        }

        /** Rejected: well-formed but refused; the refusal is published, nothing else changes. */
        record Rejected(String reason) implements Submission {
        }
    }

    @Transactional
    public Submission submit(ReleaseRequest request) {
        List<ReleaseRequest.MigrationRequest> migrations = request.migrations() == null ? List.of() : request.migrations();
        Set<String> versions = new HashSet<>();
        for (ReleaseRequest.MigrationRequest migration : migrations) {
            if (!versions.add(migration.version())) {
                throw new ProblemException(400, "Bad Request", "migration version " + migration.version() + " appears twice",
                        List.of(new dev.switchback.releaseapi.problem.Problem.Violation("migrations", "versions must be unique")));
            }
        }
        UUID id = UUID.randomUUID();
        ReleaseRef ref = new ReleaseRef(id.toString(), request.service(), request.environment(), request.version());
        Optional<ServiceSpecBody> spec = specs.lock(request.service(), request.environment());
        if (spec.isEmpty()) {
            return reject(ref, "service " + request.service() + " has no spec in environment " + request.environment()
                    + "; register it with PUT /services/" + request.service() + "/environments/" + request.environment());
        }
        String artifact = request.artifact() != null ? request.artifact()
                : spec.get().artifact() == null ? null : spec.get().artifact().replace("{version}", request.version());
        if (artifact == null) {
            return reject(ref, "the spec of " + request.service() + " names no default artifact: name one in the release");
        }
        ReleaseSpec releaseSpec = new ReleaseSpec(artifact, spec.get().runtimeSpec(), spec.get().routerSpec(),
                spec.get().healthSpec(), spec.get().databaseSpec(),
                migrations.stream().map(m -> new Migration(m.version(), m.description() == null ? "" : m.description(), m.sql())).toList());

        Instant now = clock.instant();
        Release release = new Release();
        release.id = id;
        release.service = request.service();
        release.environment = request.environment();
        release.version = request.version();
        release.spec = write(releaseSpec);
        release.phase = Phase.QUEUED;
        release.requestedAt = now;
        release.updatedAt = now;
        release.persist();
        outbox.publish(new ReleaseRequested(ref, releaseSpec));

        Optional<Release> ahead = Release.active(release.service, release.environment)
                .or(() -> Release.nextQueued(release.service, release.environment).filter(next -> !next.id.equals(id)));
        if (ahead.isPresent()) {
            step(release, Phase.QUEUED, "dev.switchback.release.queued", "behind release " + ahead.get().id, now);
            outbox.publish(new ReleaseQueued(ref, ahead.get().id.toString()));
        } else {
            start(release, releaseSpec);
        }
        return new Submission.Accepted(release);
    }

    private Submission reject(ReleaseRef ref, String reason) {
        outbox.publish(new ReleaseRejected(ref, reason));
        return new Submission.Rejected(reason);
    }

    private void start(Release release, ReleaseSpec spec) {
        step(release, Phase.MIGRATING, "dev.switchback.release.started", null, clock.instant());
        outbox.publish(new ReleaseStarted(ref(release), spec));
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
        if (release.phase != Phase.LIVE) {
            throw ProblemException.conflict("release " + id + " is " + release.phase + "; only a LIVE release can be rolled back");
        }
        Release last = Release.lastCutOver(release.service, release.environment).orElseThrow();
        if (!last.id.equals(release.id)) {
            throw ProblemException.conflict("release " + id + " is no longer the latest cutover of " + release.service
                    + " (release " + last.id + " is); to go back to " + release.version + ", ship it as a new release");
        }
        Optional<Release> active = Release.active(release.service, release.environment);
        if (active.isPresent()) {
            throw ProblemException.conflict("release " + active.get().id + " of " + release.service + " is in progress ("
                    + active.get().phase + "); roll back when it is done");
        }
        String why = reason == null || reason.isBlank() ? "rollback requested" : reason;
        step(release, Phase.ROLLING_BACK, "dev.switchback.release.rollback-requested", why, clock.instant());
        outbox.publish(new RollbackRequested(ref(release), why));
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
        if (data instanceof MigrationStarted started) {
            step(release, Phase.MIGRATING, event.type(), "migrations " + String.join(", ", started.versions()), at);
        } else if (data instanceof MigrationSucceeded succeeded) {
            step(release, Phase.DEPLOYING, event.type(), "applied " + (succeeded.applied().isEmpty() ? "nothing new"
                    : String.join(", ", succeeded.applied())) + " in " + succeeded.durationMillis() + " ms", at);
        } else if (data instanceof MigrationSkipped skipped) {
            step(release, Phase.DEPLOYING, event.type(), skipped.reason(), at);
        } else if (data instanceof MigrationFailed failed) {
            fail(release, event.type(), "migration", failed.reason(), at);
        } else if (data instanceof GreenDeploying deploying) {
            release.endpoint = deploying.endpoint();
            step(release, Phase.DEPLOYING, event.type(), "green " + deploying.instanceId() + " at " + deploying.endpoint(), at);
        } else if (data instanceof GreenReady ready) {
            step(release, Phase.SWITCHING, event.type(), "green healthy at " + ready.endpoint(), at);
        } else if (data instanceof GreenFailed failed) {
            fail(release, event.type(), "deployment", failed.reason(), at);
        } else if (data instanceof CutoverStarted started) {
            step(release, Phase.SWITCHING, event.type(), "router :" + started.routerPort() + " "
                    + (started.fromEndpoint() == null ? "(no blue)" : started.fromEndpoint()) + " -> " + started.toEndpoint(), at);
        } else if (data instanceof CutoverCompleted completed) {
            release.liveAt = at;
            release.endpoint = completed.toEndpoint();
            step(release, Phase.LIVE, event.type(), "green takes all traffic on :" + completed.routerPort(), at);
            outbox.publish(new ReleaseLive(ref(release), completed.toEndpoint()));
            startNext(release);
        } else if (data instanceof CutoverFailed failed) {
            fail(release, event.type(), "cutover", failed.reason(), at);
        } else if (data instanceof RollbackCompleted completed) {
            release.reason = completed.restoredVersion() == null ? "rolled back; no blue to restore"
                    : "rolled back to " + completed.restoredVersion();
            step(release, Phase.ROLLED_BACK, event.type(), release.reason, at);
            outbox.publish(new ReleaseRolledBack(ref(release), completed.restoredVersion()));
            startNext(release);
        } else if (data instanceof RollbackFailed failed) {
            step(release, Phase.LIVE, event.type(), "rollback failed: " + failed.reason(), at);
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

    /** Starts the next queued release of the service and environment, now that this one let go of it. */
    private void startNext(Release done) {
        Release.nextQueued(done.service, done.environment).ifPresent(next -> start(next, read(next.spec)));
    }

    private void step(Release release, Phase phase, String eventType, String reason, Instant at) {
        if (release.phase != phase) {
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

    private static String write(ReleaseSpec spec) {
        try {
            return EventCodec.mapper().writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ReleaseSpec read(String json) {
        try {
            return EventCodec.mapper().readValue(json, ReleaseSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored release spec is unreadable", e);
        }
    }
}
