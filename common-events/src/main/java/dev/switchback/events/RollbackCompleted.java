package dev.switchback.events;

/**
 * Traffic is back on blue.
 *
 * @param release which release this is about
 * @param routerPort port of the router
 * @param restoredEndpoint blue's address, null when there was no blue
 * @param restoredVersion blue's version, null when there was no blue
 */
public record RollbackCompleted(ReleaseRef release, int routerPort, String restoredEndpoint, String restoredVersion) implements SwitchbackEvent {
}
