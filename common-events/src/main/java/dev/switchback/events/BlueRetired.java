package dev.switchback.events;

/**
 * An instance no release needs any more was stopped.
 *
 * @param release which release this is about
 * @param instanceId id of the retired instance
 * @param retiredVersion version it ran
 * @param reason why it was retired
 */
public record BlueRetired(ReleaseRef release, String instanceId, String retiredVersion, String reason) implements SwitchbackEvent {
}
