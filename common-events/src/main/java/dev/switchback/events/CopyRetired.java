package dev.switchback.events;

/**
 * A requested copy was stopped for good (its retention ended, or an admin asked), or will never start; its schema
 * copy is to be dropped.
 *
 * @param release    the release copied
 * @param copyId     the copy this is about
 * @param instanceId the copy's instance id
 * @param reason     why it was retired
 */
public record CopyRetired(ReleaseRef release, String copyId, String instanceId, String reason) implements SwitchbackEvent {
}
