package dev.switchback.events;

/**
 * A blue no release needs any more was stopped. Kept for the consumers that read it: {@link InstanceRetired} is
 * published for every retirement, blue or green, and this one beside it only for a blue.
 *
 * @param release which release this is about
 * @param instanceId id of the retired instance
 * @param retiredVersion version it ran
 * @param reason why it was retired
 */
public record BlueRetired(ReleaseRef release, String instanceId, String retiredVersion, String reason) implements SwitchbackEvent {
}
