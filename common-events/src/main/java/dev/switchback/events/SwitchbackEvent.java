package dev.switchback.events;

/**
 * The payload of every Switchback event. Sealed, so a consumer's dispatch covers every type of the contract.
 */
public sealed interface SwitchbackEvent permits ReleaseRequested, ReleaseRejected, ReleaseQueued, ReleaseStarted, ReleaseCancelled, RollbackRequested, ReleaseLive, ReleaseFailed, ReleaseRolledBack, MigrationStarted, MigrationSucceeded, MigrationSkipped, MigrationFailed, BlueChecked, GreenDeploying, GreenReady, GreenFailed, BlueRetired, InstanceRetired, CutoverStarted, CutoverCompleted, CutoverFailed, RollbackCompleted, RollbackFailed,
        PromoteRequested, ReleasePromoted, CanaryStepStarted, AnalysisFailed, BakeCompleted,
        ApprovalRequested, ReleaseApproved, ApprovalRejected,
        BackfillProgressed, CopyPrepared, CopyVerified,
        CopyRequested, CopyCreated, CopyCreationFailed, CopyStarted, CopyStartFailed, CopyRetireRequested, CopyRetired,
        CopyDropped {

    /** The release the event is about. */
    ReleaseRef release();
}
