package dev.switchback.releaseapi.release;

import dev.switchback.events.EventType;

/**
 * What can happen to a release: a decision of release-api's own (a command, a deadline, the queue) or a fact a stage
 * reports. Each is recorded in the release's history under the event type that carries it.
 */
public enum Trigger {
    /** AWAIT_APPROVAL: a new release needs a second person's approval. */
    AWAIT_APPROVAL(EventType.RELEASE_APPROVAL_REQUESTED, Owner.RELEASE_API),
    /** QUEUE: a new release waits behind another one of its service and environment, or for a freeze to end. */
    QUEUE(EventType.RELEASE_QUEUED, Owner.RELEASE_API),
    /** APPROVE: an approver who is not the requester approved it; it joins the queue. */
    APPROVE(EventType.RELEASE_APPROVED, Owner.RELEASE_API),
    /** REJECT: an approver rejected it. */
    REJECT(EventType.RELEASE_APPROVAL_REJECTED, Owner.RELEASE_API),
    /** START: it leaves the queue; its migrations run. */
    START(EventType.RELEASE_STARTED, Owner.RELEASE_API),
    /** CANCEL: aborted, its approval expired, or the release it was split from did not end promoted. */
    CANCEL(EventType.RELEASE_CANCELLED, Owner.RELEASE_API),
    /** FAIL_DEADLINE: the watchdog ended it, stuck past its phase's deadline. */
    FAIL_DEADLINE(EventType.RELEASE_FAILED, Owner.RELEASE_API),
    /** REQUEST_ROLLBACK: an operator, or the watchdog for an overdue bake, asks for traffic back on blue. */
    REQUEST_ROLLBACK(EventType.RELEASE_ROLLBACK_REQUESTED, Owner.RELEASE_API),
    /** ABANDON_ROLLBACK: the watchdog gave up waiting for a requested rollback; the release is live again. */
    ABANDON_ROLLBACK(EventType.RELEASE_ROLLBACK_REQUESTED, Owner.RELEASE_API),
    /** REQUEST_PROMOTION: an operator asks to end the canary or the bake now. */
    REQUEST_PROMOTION(EventType.RELEASE_PROMOTE_REQUESTED, Owner.RELEASE_API),

    /** MIGRATION_STARTED: the db-migrator began. */
    MIGRATION_STARTED(EventType.MIGRATION_STARTED, Owner.DB_MIGRATOR),
    /** MIGRATION_SUCCEEDED: every migration is applied. */
    MIGRATION_SUCCEEDED(EventType.MIGRATION_SUCCEEDED, Owner.DB_MIGRATOR),
    /** MIGRATION_SKIPPED: there was nothing to migrate. */
    MIGRATION_SKIPPED(EventType.MIGRATION_SKIPPED, Owner.DB_MIGRATOR),
    /** MIGRATION_FAILED: a migration failed and rolled back. */
    MIGRATION_FAILED(EventType.MIGRATION_FAILED, Owner.DB_MIGRATOR),
    /** BLUE_HEALTHY: blue passes its health check against the new schema. */
    BLUE_HEALTHY(EventType.DEPLOYMENT_BLUE_CHECKED, Owner.DEPLOYER),
    /** CONTRACT_APPLIED: a contract release's schema change is applied and blue still passes: it is done. */
    CONTRACT_APPLIED(EventType.DEPLOYMENT_BLUE_CHECKED, Owner.DEPLOYER),
    /** BLUE_GATE_SKIPPED: blue fails its health check, and the release is a fix release, which goes on without it. */
    BLUE_GATE_SKIPPED(EventType.DEPLOYMENT_BLUE_CHECKED, Owner.DEPLOYER),
    /** BLUE_UNHEALTHY: blue fails its health check against the new schema. */
    BLUE_UNHEALTHY(EventType.DEPLOYMENT_BLUE_CHECKED, Owner.DEPLOYER),
    /** GREEN_DEPLOYING: the deployer is starting green. */
    GREEN_DEPLOYING(EventType.DEPLOYMENT_GREEN_DEPLOYING, Owner.DEPLOYER),
    /** GREEN_READY: green is healthy. */
    GREEN_READY(EventType.DEPLOYMENT_GREEN_READY, Owner.DEPLOYER),
    /** GREEN_FAILED: green did not become healthy. */
    GREEN_FAILED(EventType.DEPLOYMENT_GREEN_FAILED, Owner.DEPLOYER),
    /** CUTOVER_STARTED: the switcher is moving traffic. */
    CUTOVER_STARTED(EventType.TRAFFIC_CUTOVER_STARTED, Owner.TRAFFIC_SWITCHER),
    /** CANARY_STEP_STARTED: green takes a share of the traffic. */
    CANARY_STEP_STARTED(EventType.TRAFFIC_CANARY_STEP_STARTED, Owner.TRAFFIC_SWITCHER),
    /** CUTOVER_COMPLETED: green takes all traffic. */
    CUTOVER_COMPLETED(EventType.TRAFFIC_CUTOVER_COMPLETED, Owner.TRAFFIC_SWITCHER),
    /** CUTOVER_FAILED: traffic could not be moved; blue keeps it. */
    CUTOVER_FAILED(EventType.TRAFFIC_CUTOVER_FAILED, Owner.TRAFFIC_SWITCHER),
    /** ANALYSIS_FAILED: the switcher found green wanting and is switching back. */
    ANALYSIS_FAILED(EventType.TRAFFIC_ANALYSIS_FAILED, Owner.TRAFFIC_SWITCHER),
    /** BAKE_COMPLETED: the switcher promoted green; blue is retired. */
    BAKE_COMPLETED(EventType.TRAFFIC_BAKE_COMPLETED, Owner.TRAFFIC_SWITCHER),
    /** ROLLBACK_COMPLETED: traffic is back on blue. */
    ROLLBACK_COMPLETED(EventType.TRAFFIC_ROLLBACK_COMPLETED, Owner.TRAFFIC_SWITCHER),
    /** ROLLBACK_FAILED: the switcher did not move traffic back; green keeps it. */
    ROLLBACK_FAILED(EventType.TRAFFIC_ROLLBACK_FAILED, Owner.TRAFFIC_SWITCHER);

    /** Who decides what a trigger says: release-api decides its own, each stage decides its own facts. */
    public enum Owner {
        /** RELEASE_API: commands, approvals, the queue and deadlines. */
        RELEASE_API,
        /** DB_MIGRATOR: what happened to the migrations. */
        DB_MIGRATOR,
        /** DEPLOYER: blue's check and green's health. */
        DEPLOYER,
        /** TRAFFIC_SWITCHER: where the traffic is, the bake's end and every rollback. */
        TRAFFIC_SWITCHER
    }

    private final EventType eventType;
    private final Owner owner;

    Trigger(EventType eventType, Owner owner) {
        this.eventType = eventType;
        this.owner = owner;
    }

    /** eventType: the event that carries the trigger, and the type its history step is recorded under. */
    public EventType eventType() {
        return eventType;
    }

    /** owner: the service whose decision it is. */
    public Owner owner() {
        return owner;
    }
}
