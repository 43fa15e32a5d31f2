package dev.switchback.events;

/**
 * After the schema change, the deployer checked that the live version (blue) still passes its health check against
 * the new schema; only then does code follow ("tick-tock"). A fix release goes on past an unhealthy blue, which is
 * what it fixes: the answer is still asked and recorded, with {@code gateSkipped}.
 *
 * @param release     which release this is about
 * @param healthy     whether blue passed; true when there is no blue to check
 * @param endpoint    blue's address; null when there is no blue
 * @param reason      what the check saw, and for a skipped gate why it was skipped
 * @param gateSkipped whether green was started although blue failed, because the release is a fix release; null means
 *                    false (added in 0.3)
 */
public record BlueChecked(ReleaseRef release, boolean healthy, String endpoint, String reason, Boolean gateSkipped)
        implements SwitchbackEvent {

    /** A check that gates the release: unhealthy blue stops it. */
    public BlueChecked(ReleaseRef release, boolean healthy, String endpoint, String reason) {
        this(release, healthy, endpoint, reason, null);
    }

    /** Whether green was started past an unhealthy blue, for a fix release. */
    public boolean gateSkippedOrFalse() {
        return Boolean.TRUE.equals(gateSkipped);
    }
}
