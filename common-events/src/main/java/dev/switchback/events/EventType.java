package dev.switchback.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every event type of the contract: its CloudEvents {@code type}, the topic it travels on and its schema version.
 * Changes are additive only: a new field is optional, a new type gets a new constant, a version only grows.
 */
public enum EventType {
    /** RELEASE_REQUESTED: A release was accepted and recorded. */
    RELEASE_REQUESTED(ReleaseRequested.class, "dev.switchback.release.requested", Topics.RELEASES, 1),
    /** RELEASE_REJECTED: A well-formed release request was refused; nothing runs. */
    RELEASE_REJECTED(ReleaseRejected.class, "dev.switchback.release.rejected", Topics.RELEASES, 1),
    /** RELEASE_QUEUED: A release waits behind another release of the same service and environment. */
    RELEASE_QUEUED(ReleaseQueued.class, "dev.switchback.release.queued", Topics.RELEASES, 1),
    /** RELEASE_STARTED: A release leaves the queue; the pipeline starts with its migrations. */
    RELEASE_STARTED(ReleaseStarted.class, "dev.switchback.release.started", Topics.RELEASES, 1),
    /** RELEASE_CANCELLED: A release was cancelled before it reached cutover. */
    RELEASE_CANCELLED(ReleaseCancelled.class, "dev.switchback.release.cancelled", Topics.RELEASES, 1),
    /** RELEASE_ROLLBACK_REQUESTED: Traffic of a live release is to go back to blue. */
    RELEASE_ROLLBACK_REQUESTED(RollbackRequested.class, "dev.switchback.release.rollback-requested", Topics.RELEASES, 1),
    /** RELEASE_LIVE: Green takes all traffic: the release is live. */
    RELEASE_LIVE(ReleaseLive.class, "dev.switchback.release.live", Topics.RELEASES, 1),
    /** RELEASE_FAILED: A release ended without reaching live; blue kept serving. */
    RELEASE_FAILED(ReleaseFailed.class, "dev.switchback.release.failed", Topics.RELEASES, 1),
    /** RELEASE_ROLLED_BACK: Traffic is back on blue; the release is over. */
    RELEASE_ROLLED_BACK(ReleaseRolledBack.class, "dev.switchback.release.rolled-back", Topics.RELEASES, 1),
    /** MIGRATION_STARTED: The migrator began applying a release's migrations. */
    MIGRATION_STARTED(MigrationStarted.class, "dev.switchback.migration.started", Topics.MIGRATIONS, 1),
    /** MIGRATION_SUCCEEDED: Every migration of a release is applied. */
    MIGRATION_SUCCEEDED(MigrationSucceeded.class, "dev.switchback.migration.succeeded", Topics.MIGRATIONS, 1),
    /** MIGRATION_SKIPPED: A release had nothing to migrate. */
    MIGRATION_SKIPPED(MigrationSkipped.class, "dev.switchback.migration.skipped", Topics.MIGRATIONS, 1),
    /** MIGRATION_FAILED: A migration failed; its transaction rolled back and no code is deployed. */
    MIGRATION_FAILED(MigrationFailed.class, "dev.switchback.migration.failed", Topics.MIGRATIONS, 1),
    /** DEPLOYMENT_BLUE_CHECKED: After the schema change, blue's health was checked against the new schema. */
    DEPLOYMENT_BLUE_CHECKED(BlueChecked.class, "dev.switchback.deployment.blue-checked", Topics.DEPLOYMENTS, 1),
    /** DEPLOYMENT_GREEN_DEPLOYING: The deployer is starting green. */
    DEPLOYMENT_GREEN_DEPLOYING(GreenDeploying.class, "dev.switchback.deployment.green-deploying", Topics.DEPLOYMENTS, 1),
    /** DEPLOYMENT_GREEN_READY: Green passed its health check and may take traffic. */
    DEPLOYMENT_GREEN_READY(GreenReady.class, "dev.switchback.deployment.green-ready", Topics.DEPLOYMENTS, 1),
    /** DEPLOYMENT_GREEN_FAILED: Green did not become healthy; it gets no traffic. */
    DEPLOYMENT_GREEN_FAILED(GreenFailed.class, "dev.switchback.deployment.green-failed", Topics.DEPLOYMENTS, 1),
    /** DEPLOYMENT_BLUE_RETIRED: A blue no release needs any more was stopped; kept beside instance-retired for its readers. */
    DEPLOYMENT_BLUE_RETIRED(BlueRetired.class, "dev.switchback.deployment.blue-retired", Topics.DEPLOYMENTS, 1),
    /** DEPLOYMENT_INSTANCE_RETIRED: An instance, blue or green, was stopped for good. */
    DEPLOYMENT_INSTANCE_RETIRED(InstanceRetired.class, "dev.switchback.deployment.instance-retired", Topics.DEPLOYMENTS, 1),
    /** TRAFFIC_CUTOVER_STARTED: The switcher is moving traffic from blue to green. */
    TRAFFIC_CUTOVER_STARTED(CutoverStarted.class, "dev.switchback.traffic.cutover-started", Topics.TRAFFIC, 1),
    /** TRAFFIC_CUTOVER_COMPLETED: Green takes all traffic. */
    TRAFFIC_CUTOVER_COMPLETED(CutoverCompleted.class, "dev.switchback.traffic.cutover-completed", Topics.TRAFFIC, 1),
    /** TRAFFIC_CUTOVER_FAILED: Traffic could not be moved; blue keeps it. */
    TRAFFIC_CUTOVER_FAILED(CutoverFailed.class, "dev.switchback.traffic.cutover-failed", Topics.TRAFFIC, 1),
    /** TRAFFIC_ROLLBACK_COMPLETED: Traffic is back on blue. */
    TRAFFIC_ROLLBACK_COMPLETED(RollbackCompleted.class, "dev.switchback.traffic.rollback-completed", Topics.TRAFFIC, 1),
    /** TRAFFIC_ROLLBACK_FAILED: Traffic could not be moved back. */
    TRAFFIC_ROLLBACK_FAILED(RollbackFailed.class, "dev.switchback.traffic.rollback-failed", Topics.TRAFFIC, 1),
    /** RELEASE_PROMOTE_REQUESTED: The bake of a live release is to end now; blue is to be retired. */
    RELEASE_PROMOTE_REQUESTED(PromoteRequested.class, "dev.switchback.release.promote-requested", Topics.RELEASES, 1),
    /** RELEASE_PROMOTED: A live release passed its bake; blue is retired. */
    RELEASE_PROMOTED(ReleasePromoted.class, "dev.switchback.release.promoted", Topics.RELEASES, 1),
    /** TRAFFIC_CANARY_STEP_STARTED: Green takes a share of the traffic for one canary step. */
    TRAFFIC_CANARY_STEP_STARTED(CanaryStepStarted.class, "dev.switchback.traffic.canary-step-started", Topics.TRAFFIC, 1),
    /** TRAFFIC_ANALYSIS_FAILED: Analysis found green wanting; traffic goes back to blue. */
    TRAFFIC_ANALYSIS_FAILED(AnalysisFailed.class, "dev.switchback.traffic.analysis-failed", Topics.TRAFFIC, 1),
    /** TRAFFIC_BAKE_COMPLETED: The bake ended successfully; blue may be retired. */
    TRAFFIC_BAKE_COMPLETED(BakeCompleted.class, "dev.switchback.traffic.bake-completed", Topics.TRAFFIC, 1),
    /** RELEASE_APPROVAL_REQUESTED: A release waits for an approver who is not its requester. */
    RELEASE_APPROVAL_REQUESTED(ApprovalRequested.class, "dev.switchback.release.approval-requested", Topics.RELEASES, 1),
    /** RELEASE_APPROVED: A release was approved and joins the queue. */
    RELEASE_APPROVED(ReleaseApproved.class, "dev.switchback.release.approved", Topics.RELEASES, 1),
    /** RELEASE_APPROVAL_REJECTED: A release was rejected by an approver; it is cancelled. */
    RELEASE_APPROVAL_REJECTED(ApprovalRejected.class, "dev.switchback.release.approval-rejected", Topics.RELEASES, 1),
    /** MIGRATION_BACKFILL_PROGRESS: A backfill migration committed more batches, or finished. */
    MIGRATION_BACKFILL_PROGRESS(BackfillProgressed.class, "dev.switchback.migration.backfill-progress", Topics.MIGRATIONS, 1),
    /** MIGRATION_COPY_PREPARED: A contract release's migrations are applied to a schema copy; production waits for the proof. */
    MIGRATION_COPY_PREPARED(CopyPrepared.class, "dev.switchback.migration.copy-prepared", Topics.MIGRATIONS, 1),
    /** DEPLOYMENT_COPY_VERIFIED: A copy of the live version was judged against the schema copy, and retired. */
    DEPLOYMENT_COPY_VERIFIED(CopyVerified.class, "dev.switchback.deployment.copy-verified", Topics.DEPLOYMENTS, 1),
    /** RELEASE_COPY_REQUESTED: An admin asked for a copy of a release, for audit or failure analysis. */
    RELEASE_COPY_REQUESTED(CopyRequested.class, "dev.switchback.release.copy-requested", Topics.RELEASES, 1),
    /** MIGRATION_COPY_CREATED: The schema copy of a requested copy is made; the deployer starts the version on it. */
    MIGRATION_COPY_CREATED(CopyCreated.class, "dev.switchback.migration.copy-created", Topics.MIGRATIONS, 1),
    /** MIGRATION_COPY_FAILED: The schema copy of a requested copy could not be made. */
    MIGRATION_COPY_FAILED(CopyCreationFailed.class, "dev.switchback.migration.copy-failed", Topics.MIGRATIONS, 1),
    /** DEPLOYMENT_COPY_STARTED: A requested copy runs, healthy, against its schema copy, with no traffic. */
    DEPLOYMENT_COPY_STARTED(CopyStarted.class, "dev.switchback.deployment.copy-started", Topics.DEPLOYMENTS, 1),
    /** DEPLOYMENT_COPY_FAILED: A requested copy could not start or was not healthy; it is stopped. */
    DEPLOYMENT_COPY_FAILED(CopyStartFailed.class, "dev.switchback.deployment.copy-failed", Topics.DEPLOYMENTS, 1),
    /** RELEASE_COPY_RETIRE_REQUESTED: An admin asked for a copy to be retired before its retention ends. */
    RELEASE_COPY_RETIRE_REQUESTED(CopyRetireRequested.class, "dev.switchback.release.copy-retire-requested", Topics.RELEASES, 1),
    /** DEPLOYMENT_COPY_RETIRED: A requested copy was stopped for good; its schema copy is to be dropped. */
    DEPLOYMENT_COPY_RETIRED(CopyRetired.class, "dev.switchback.deployment.copy-retired", Topics.DEPLOYMENTS, 1),
    /** MIGRATION_COPY_DROPPED: The schema copy of a requested copy was dropped. */
    MIGRATION_COPY_DROPPED(CopyDropped.class, "dev.switchback.migration.copy-dropped", Topics.MIGRATIONS, 1);

    private static final Map<String, EventType> BY_TYPE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::type, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::payloadClass, Function.identity()));

    private final Class<? extends SwitchbackEvent> payloadClass;
    private final String type;
    private final String topic;
    private final int schemaVersion;

    EventType(Class<? extends SwitchbackEvent> payloadClass, String type, String topic, int schemaVersion) {
        this.payloadClass = payloadClass;
        this.type = type;
        this.topic = topic;
        this.schemaVersion = schemaVersion;
    }

    /** payloadClass: the record carried as {@code data}. */
    public Class<? extends SwitchbackEvent> payloadClass() {
        return payloadClass;
    }

    /** type: the CloudEvents {@code type} attribute. */
    public String type() {
        return type;
    }

    /** topic: the Kafka topic the event is published on. */
    public String topic() {
        return topic;
    }

    /** schemaVersion: the version of the payload's JSON Schema. */
    public int schemaVersion() {
        return schemaVersion;
    }

    /** dataschema: the CloudEvents {@code dataschema} attribute naming the JSON Schema of the payload. */
    public String dataschema() {
        return "urn:switchback:schema:" + type.substring("dev.switchback.".length()) + ":" + schemaVersion;
    }

    /** The file name of the payload's JSON Schema under {@code schemas/} on the classpath. */
    public String schemaResource() {
        return "schemas/" + type.substring("dev.switchback.".length()) + ".v" + schemaVersion + ".json";
    }

    public static Optional<EventType> ofType(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    public static EventType of(SwitchbackEvent event) {
        return BY_CLASS.get(event.getClass());
    }
}
