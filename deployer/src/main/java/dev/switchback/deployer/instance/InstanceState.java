package dev.switchback.deployer.instance;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where an instance stands, and the one table of the changes allowed between states: whatever asks for another
 * change (an event delivered late, twice, or out of order) is refused and changes nothing.
 */
public enum InstanceState {
    /** STARTING: green is started and has not passed its health check yet. */
    STARTING,
    /** READY: green passed its health check and waits for traffic. */
    READY,
    /** LIVE: the instance takes traffic: blue to the next release. */
    LIVE,
    /** WARM: blue after a cutover: running with no traffic, ready to take it back in one switch. */
    WARM,
    /** DRAINING: blue of a promoted release: no traffic, finishing what it took, retired when its drain is over. */
    DRAINING,
    /** ISOLATED: a green kept running with no traffic, for analysis, until retired. */
    ISOLATED,
    /** RETIRED: stopped for good. */
    RETIRED;

    /** The states each state may change to; a state is not listed as its own successor: repeating it is no change. */
    private static Set<InstanceState> next(InstanceState state) {
        return switch (state) {
            // Healthy, or failed: isolated while it runs, retired when it is gone or its release was aborted.
            case STARTING -> EnumSet.of(READY, ISOLATED, RETIRED);
            // Cut over to; isolated when its release ends or is rolled back mid-canary; retired when aborted.
            case READY -> EnumSet.of(LIVE, ISOLATED, RETIRED);
            // Blue kept warm by the next cutover; a rolled-back green isolated; retired when no release needs it.
            case LIVE -> EnumSet.of(WARM, ISOLATED, RETIRED);
            // Traffic back on it (a rollback); draining once its successor is promoted; retired by hand or a cutover.
            case WARM -> EnumSet.of(LIVE, DRAINING, RETIRED);
            // A promotion is final: a draining blue only ends.
            case DRAINING, ISOLATED -> EnumSet.of(RETIRED);
            case RETIRED -> EnumSet.noneOf(InstanceState.class);
        };
    }

    /** Whether an instance in this state may change to {@code target}. */
    public boolean canBecome(InstanceState target) {
        return next(this).contains(target);
    }

    /** Whether its process should be running. */
    public boolean isRunning() {
        return this != RETIRED;
    }

    /** Whether an instance in this state has taken traffic: blue (live, warm, draining) rather than green. */
    public boolean isBlue() {
        return this == LIVE || this == WARM || this == DRAINING;
    }
}
