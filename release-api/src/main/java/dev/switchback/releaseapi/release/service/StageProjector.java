package dev.switchback.releaseapi.release.service;

import dev.switchback.audit.AuditLog;
import dev.switchback.events.AnalysisFailed;
import dev.switchback.events.BackfillProgressed;
import dev.switchback.events.BakeCompleted;
import dev.switchback.events.BlueChecked;
import dev.switchback.events.CanaryStepStarted;
import dev.switchback.events.CloudEvent;
import dev.switchback.events.CopyPrepared;
import dev.switchback.events.CopyVerified;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.CutoverFailed;
import dev.switchback.events.CutoverStarted;
import dev.switchback.events.EventCodec;
import dev.switchback.events.EventType;
import dev.switchback.events.GreenDeploying;
import dev.switchback.events.GreenFailed;
import dev.switchback.events.GreenReady;
import dev.switchback.events.MigrationFailed;
import dev.switchback.events.MigrationSkipped;
import dev.switchback.events.MigrationStarted;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.ReleaseLive;
import dev.switchback.events.ReleasePromoted;
import dev.switchback.events.ReleaseRolledBack;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.events.RollbackFailed;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.releaseapi.migration.AppliedMigration;
import dev.switchback.releaseapi.release.Condition;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.Trigger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Records what each stage reports in the release's status: one method per event type, each on the release read under
 * its service's lock. A stage's fact is never "ignored" because release-api asked for something else meanwhile: the
 * stage that owns a decision made it, and the release says so. Facts the lifecycle does not allow in the release's phase
 * (late, redelivered, after the end) are recorded in its history and move nothing.
 */
@ApplicationScoped
public class StageProjector {

    private static final Logger LOG = Logger.getLogger(StageProjector.class);

    private final ReleaseTransitions transitions;
    private final ReleaseQueue queue;
    private final AuditLog audit;
    private final Clock clock;

    public StageProjector(ReleaseTransitions transitions, ReleaseQueue queue, AuditLog audit, Clock clock) {
        this.transitions = transitions;
        this.queue = queue;
        this.audit = audit;
        this.clock = clock;
    }

    /** Projects one stage's event. Runs in the consumer's transaction. */
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
        Optional<Release> found = transitions.lockIfExists(id);
        if (found.isEmpty()) {
            LOG.warnf("ignoring %s for unknown release %s", event.type(), id);
            return;
        }
        Release release = found.get();
        Instant at = event.time() == null ? clock.instant() : event.time().toInstant();
        switch (EventType.of(data)) {
            case MIGRATION_STARTED -> migrationStarted(release, (MigrationStarted) data, at);
            case MIGRATION_SUCCEEDED -> migrationSucceeded(release, (MigrationSucceeded) data, at);
            case MIGRATION_SKIPPED -> transitions.fire(release, Trigger.MIGRATION_SKIPPED, ((MigrationSkipped) data).reason(), at);
            case MIGRATION_BACKFILL_PROGRESS -> backfillProgressed(release, (BackfillProgressed) data, at);
            case MIGRATION_FAILED -> failed(release, Trigger.MIGRATION_FAILED, "migration", ((MigrationFailed) data).reason(), at);
            // The contract's proof on a copy: steps of its history; the release stays MIGRATING until the verdict is acted on.
            case MIGRATION_COPY_PREPARED -> transitions.recordFact(release, event.type(), "contract applied to the copy "
                    + ((CopyPrepared) data).database() + "; proving the live version against it", at);
            case DEPLOYMENT_COPY_VERIFIED -> transitions.recordFact(release, event.type(), copyVerdict((CopyVerified) data), at);
            case DEPLOYMENT_BLUE_CHECKED -> blueChecked(release, (BlueChecked) data, at);
            case DEPLOYMENT_GREEN_DEPLOYING -> greenDeploying(release, (GreenDeploying) data, at);
            case DEPLOYMENT_GREEN_READY -> transitions.fire(release, Trigger.GREEN_READY,
                    "green healthy at " + ((GreenReady) data).endpoint(), at);
            case DEPLOYMENT_GREEN_FAILED -> failed(release, Trigger.GREEN_FAILED, "deployment", ((GreenFailed) data).reason(), at);
            case TRAFFIC_CUTOVER_STARTED -> cutoverStarted(release, (CutoverStarted) data, at);
            case TRAFFIC_CANARY_STEP_STARTED -> canaryStepStarted(release, (CanaryStepStarted) data, at);
            case TRAFFIC_CUTOVER_COMPLETED -> cutoverCompleted(release, (CutoverCompleted) data, at);
            case TRAFFIC_CUTOVER_FAILED -> failed(release, Trigger.CUTOVER_FAILED, "cutover", ((CutoverFailed) data).reason(), at);
            case TRAFFIC_ANALYSIS_FAILED -> analysisFailed(release, (AnalysisFailed) data, at);
            case TRAFFIC_BAKE_COMPLETED -> bakeCompleted(release, (BakeCompleted) data, at);
            case TRAFFIC_ROLLBACK_COMPLETED -> rollbackCompleted(release, (RollbackCompleted) data, at);
            case TRAFFIC_ROLLBACK_FAILED -> rollbackFailed(release, (RollbackFailed) data, at);
            // Facts that change nothing here (an instance retired, another service's own events) are only recorded.
            default -> transitions.recordFact(release, event.type(), null, at);
        }
    }

    private static String copyVerdict(CopyVerified verdict) {
        return (verdict.healthy() ? "the copy of " + verdict.version() + " stayed healthy: "
                : "the copy of " + verdict.version() + " broke: " + (verdict.failingPath() == null ? ""
                : "GET " + verdict.failingPath() + (verdict.status() == null ? " did not answer: " : " answered "
                + verdict.status() + ": "))) + verdict.evidence();
    }

    private void migrationStarted(Release release, MigrationStarted started, Instant at) {
        transitions.fire(release, Trigger.MIGRATION_STARTED, "migrations " + String.join(", ", started.versions()), at);
    }

    private void migrationSucceeded(Release release, MigrationSucceeded succeeded, Instant at) {
        recordApplied(release, succeeded.applied(), at);
        transitions.fire(release, Trigger.MIGRATION_SUCCEEDED, "applied " + (succeeded.applied().isEmpty() ? "nothing new"
                : String.join(", ", succeeded.applied())) + " in " + succeeded.durationMillis() + " ms", at);
    }

    /** A backfill's progress is history only: the migrations are still running, or just ended. */
    private void backfillProgressed(Release release, BackfillProgressed progress, Instant at) {
        transitions.recordFact(release, EventType.MIGRATION_BACKFILL_PROGRESS.type(), "backfill " + progress.migrationVersion()
                + (progress.done() ? " done: " : ": ") + progress.batches() + " batch(es), " + progress.rows()
                + " row(s) so far of " + progress.matchedAtStart() + " matched at the start", at);
    }

    private void blueChecked(Release release, BlueChecked checked, Instant at) {
        String fix = EventCodec.fromJson(release.spec, ReleaseSpec.class).fix();
        if (!checked.healthy() && checked.gateSkippedOrFalse() && fix != null && !release.contractRelease) {
            // Roll forward: blue itself is broken, which is what this release fixes; every later check still runs.
            String reason = "blue gate skipped for a fix release (" + fix + "): blue at " + checked.endpoint()
                    + " answered: " + checked.reason();
            if (transitions.fire(release, Trigger.BLUE_GATE_SKIPPED, reason, at)) {
                audit.append("release.blue-gate-skipped", release.service, release.environment, release.id, reason);
            }
        } else if (!checked.healthy()) {
            failed(release, Trigger.BLUE_UNHEALTHY, "blue-check", "blue at " + checked.endpoint()
                    + " fails its health check against the new schema: " + checked.reason(), at);
        } else if (release.contractRelease) {
            // A contract release deploys no code: blue passing against the changed schema is its end.
            if (transitions.fire(release, Trigger.CONTRACT_APPLIED, "schema change applied; " + checked.reason(), at)) {
                release.endpoint = checked.endpoint();
                release.promotedAt = at;
                transitions.publish(new ReleaseLive(ReleaseTransitions.ref(release), checked.endpoint()));
                queue.startNext(release.service, release.environment);
            }
        } else {
            transitions.fire(release, Trigger.BLUE_HEALTHY, checked.reason(), at);
        }
    }

    private void greenDeploying(Release release, GreenDeploying deploying, Instant at) {
        if (transitions.fire(release, Trigger.GREEN_DEPLOYING, "green " + deploying.instanceId() + " at "
                + deploying.endpoint(), at)) {
            release.endpoint = deploying.endpoint();
        }
    }

    private void cutoverStarted(Release release, CutoverStarted started, Instant at) {
        transitions.fire(release, Trigger.CUTOVER_STARTED, "router :" + started.routerPort() + " "
                + (started.fromEndpoint() == null ? "(no blue)" : started.fromEndpoint()) + " -> " + started.toEndpoint(), at);
    }

    private void canaryStepStarted(Release release, CanaryStepStarted canary, Instant at) {
        transitions.fire(release, Trigger.CANARY_STEP_STARTED, "canary step " + canary.step() + "/" + canary.steps()
                + ": green takes " + canary.greenWeight() + "% for " + canary.pauseSeconds() + " s", at);
    }

    private void cutoverCompleted(Release release, CutoverCompleted completed, Instant at) {
        if (release.liveAt != null && !release.phase.isTerminal()) {
            transitions.recordFact(release, EventType.TRAFFIC_CUTOVER_COMPLETED.type(), "already live since " + release.liveAt, at);
            return;
        }
        int bake = EventCodec.fromJson(release.spec, ReleaseSpec.class).rolloutOrDefault().bake();
        if (!transitions.fire(release, Trigger.CUTOVER_COMPLETED, "green takes all traffic on :" + completed.routerPort()
                + (bake > 0 ? "; baking for " + bake + " s with blue warm" : ""), at)) {
            return;
        }
        release.liveAt = at;
        release.endpoint = completed.toEndpoint();
        release.setCondition(Condition.BAKING, true, "BakeInProgress",
                "green takes the traffic and is analysed; blue is kept warm", at);
        if (!release.promotionRequested()) {
            release.setCondition(Condition.PROMOTED, false, "BakeInProgress", "not yet promoted", at);
        }
        transitions.publish(new ReleaseLive(ReleaseTransitions.ref(release), completed.toEndpoint()));
    }

    private void analysisFailed(Release release, AnalysisFailed failed, Instant at) {
        String reason = "analysis " + failed.measurement().verdict() + ": " + failed.measurement().reason();
        if (transitions.fire(release, Trigger.ANALYSIS_FAILED, reason, at) && release.liveAt != null) {
            release.setCondition(Condition.BAKING, false, "RollingBack", reason, at);
            release.setCondition(Condition.PROMOTED, false, "RolledBack", "green was not promoted", at);
        }
    }

    /** The switcher promoted green: recorded whatever release-api asked for meanwhile (a rollback it will refuse). */
    private void bakeCompleted(Release release, BakeCompleted baked, Instant at) {
        if (release.promotedAt != null) {
            transitions.recordFact(release, EventType.TRAFFIC_BAKE_COMPLETED.type(), "promoted already at " + release.promotedAt, at);
            return;
        }
        if (!transitions.fire(release, Trigger.BAKE_COMPLETED, "promoted: " + baked.reason(), at)) {
            return;
        }
        release.promotedAt = at;
        release.setCondition(Condition.BAKING, false, "Promoted", "the bake ended; blue was retired", at);
        release.setCondition(Condition.PROMOTED, true, "BakePassed", "green is the only version now", at);
        transitions.publish(new ReleasePromoted(ReleaseTransitions.ref(release), baked.reason()));
        queue.startNext(release.service, release.environment);
    }

    private void rollbackCompleted(Release release, RollbackCompleted completed, Instant at) {
        String reason = (completed.restoredVersion() == null ? "rolled back; no blue to restore"
                : "rolled back to " + completed.restoredVersion())
                + (completed.reason() == null ? "" : ": " + completed.reason());
        String before = release.reason;
        release.reason = reason;
        if (!transitions.fire(release, Trigger.ROLLBACK_COMPLETED, reason, at)) {
            release.reason = before;
            return;
        }
        if (release.liveAt != null) {
            release.setCondition(Condition.BAKING, false, "RolledBack", reason, at);
            release.setCondition(Condition.PROMOTED, false, "RolledBack", "green was not promoted", at);
        }
        transitions.publish(new ReleaseRolledBack(ReleaseTransitions.ref(release), completed.restoredVersion()));
        queue.startNext(release.service, release.environment);
    }

    /** The switcher kept traffic on green: a rollback that was asked for is over, and the release is live again. */
    private void rollbackFailed(Release release, RollbackFailed failed, Instant at) {
        String reason = "rollback failed: " + failed.reason();
        if (transitions.fire(release, Trigger.ROLLBACK_FAILED, reason, at) && release.isBaking()) {
            release.setCondition(Condition.BAKING, true, "RollbackFailed", reason + "; green keeps the traffic and is"
                    + " still analysed", at);
            release.setCondition(Condition.PROMOTED, false, "BakeInProgress", "not yet promoted", at);
        }
    }

    private void failed(Release release, Trigger trigger, String stage, String reason, Instant at) {
        if (transitions.fail(release, trigger, stage, reason, at)) {
            queue.startNext(release.service, release.environment);
        }
    }

    private static void recordApplied(Release release, List<String> versions, Instant at) {
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
}
