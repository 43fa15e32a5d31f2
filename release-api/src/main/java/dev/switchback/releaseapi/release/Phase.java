package dev.switchback.releaseapi.release;

/** Where a release stands. */
public enum Phase {
    /**
     * AWAITING_APPROVAL: its environment is protected or it carries contract migrations; it waits outside the queue
     * for an approver who is not its requester, until its approval expires.
     */
    AWAITING_APPROVAL,
    /** QUEUED: waiting for an earlier release of the same service and environment to finish. */
    QUEUED,
    /** MIGRATING: the db-migrator applies its migrations, before any code. */
    MIGRATING,
    /** DEPLOYING: the deployer starts green and waits for its health check. */
    DEPLOYING,
    /** SWITCHING: the switcher moves traffic from blue to green. */
    SWITCHING,
    /** LIVE: green takes all traffic; while it bakes (condition Baking) blue is kept warm, then it is promoted. */
    LIVE,
    /** ROLLING_BACK: traffic is going back to blue. */
    ROLLING_BACK,
    /** ROLLED_BACK: traffic is back on blue; terminal. */
    ROLLED_BACK,
    /** FAILED: the release stopped before going live; blue kept serving; terminal. */
    FAILED,
    /** CANCELLED: stopped on request before going live; terminal. */
    CANCELLED;

    /** Whether nothing more happens to the release. */
    public boolean isTerminal() {
        return this == ROLLED_BACK || this == FAILED || this == CANCELLED;
    }
}
