package dev.switchback.events;

/**
 * Traffic is back on blue.
 *
 * @param release          which release this is about
 * @param routerPort       port of the router
 * @param restoredEndpoint blue's address, null when there was no blue
 * @param restoredVersion  blue's version, null when there was no blue
 * @param reason           why traffic went back; null in events of earlier versions
 * @param switchMillis     from the decision to roll back to the router verified on blue, in milliseconds; null when
 *                         not measured
 */
public record RollbackCompleted(ReleaseRef release, int routerPort, String restoredEndpoint, String restoredVersion,
                                String reason, Long switchMillis) implements SwitchbackEvent {

    /** A rollback without its reason and timing. */
    public RollbackCompleted(ReleaseRef release, int routerPort, String restoredEndpoint, String restoredVersion) {
        this(release, routerPort, restoredEndpoint, restoredVersion, null, null);
    }
}
