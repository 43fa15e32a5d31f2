package dev.switchback.events;

/**
 * Traffic is back on blue; the release is over.
 *
 * @param release which release this is about
 * @param restoredVersion version serving again, null when there was no blue
 */
public record ReleaseRolledBack(ReleaseRef release, String restoredVersion) implements SwitchbackEvent {
}
