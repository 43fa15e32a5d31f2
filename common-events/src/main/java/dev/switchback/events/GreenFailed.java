package dev.switchback.events;

/**
 * Green did not become healthy; it gets no traffic.
 *
 * @param release which release this is about
 * @param instanceId id of the green instance
 * @param reason why it failed
 */
public record GreenFailed(ReleaseRef release, String instanceId, String reason) implements SwitchbackEvent {
}
