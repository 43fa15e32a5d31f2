package dev.switchback.events;

/**
 * The schema copy of a requested copy could not be made; nothing was started and nothing is left behind.
 *
 * @param release the release copied
 * @param copyId  the copy this is about
 * @param reason  why
 */
public record CopyCreationFailed(ReleaseRef release, String copyId, String reason) implements SwitchbackEvent {
}
