package dev.switchback.events;

/**
 * A release was cancelled before it reached cutover.
 *
 * @param release which release this is about
 * @param reason why it was cancelled
 */
public record ReleaseCancelled(ReleaseRef release, String reason) implements SwitchbackEvent {
}
