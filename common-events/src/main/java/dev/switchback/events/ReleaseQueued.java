package dev.switchback.events;

/**
 * A release waits behind another release of the same service and environment.
 *
 * @param release which release this is about
 * @param behindReleaseId release it waits for
 */
public record ReleaseQueued(ReleaseRef release, String behindReleaseId) implements SwitchbackEvent {
}
