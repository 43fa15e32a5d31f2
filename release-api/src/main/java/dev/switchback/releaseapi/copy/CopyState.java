package dev.switchback.releaseapi.copy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a copy of a release stands, and the moves it may make: a plain transition table a test walks. A fact that
 * arrives in a state that does not allow its move (late, redelivered, after the end) moves nothing.
 */
public enum CopyState {
    /** PREPARING: asked for; its schema copy is made and its version started. */
    PREPARING,
    /** RUNNING: healthy on its endpoint, with no traffic, until its retention ends or an admin retires it. */
    RUNNING,
    /** RETIRING: being retired (an admin asked, or its retention ended); its database is dropped next. */
    RETIRING,
    /** RETIRED: stopped and its database dropped. */
    RETIRED,
    /** FAILED: its schema copy could not be made, or its version did not start healthy; see the failure. */
    FAILED;

    private static final Map<CopyState, Set<CopyState>> NEXT = Map.of(
            PREPARING, EnumSet.of(RUNNING, RETIRING, RETIRED, FAILED),
            RUNNING, EnumSet.of(RETIRING, RETIRED),
            RETIRING, EnumSet.of(RETIRED),
            RETIRED, EnumSet.noneOf(CopyState.class),
            FAILED, EnumSet.noneOf(CopyState.class));

    /** Whether a copy in this state may move to {@code next}. */
    public boolean canBecome(CopyState next) {
        return NEXT.get(this).contains(next);
    }

    /** Whether an admin may still retire it: it is being made or runs. */
    public boolean isActive() {
        return this == PREPARING || this == RUNNING;
    }
}
