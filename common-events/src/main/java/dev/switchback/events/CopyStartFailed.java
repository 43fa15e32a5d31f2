package dev.switchback.events;

/**
 * A requested copy could not be started or did not pass its health check; it was stopped, and its schema copy is to
 * be dropped.
 *
 * @param release the release copied
 * @param copyId  the copy this is about
 * @param reason  why, with what the copy answered
 * @param log     the last lines of the copy's own log; null when not known
 */
public record CopyStartFailed(ReleaseRef release, String copyId, String reason, String log) implements SwitchbackEvent {
}
