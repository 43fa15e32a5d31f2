package dev.switchback.events;

/**
 * An admin asked for a copy to be retired before its retention ends.
 *
 * @param release     the release copied
 * @param copyId      the copy this is about
 * @param reason      why, as the admin gave it, or a default
 * @param requestedBy the token subject that asked
 */
public record CopyRetireRequested(ReleaseRef release, String copyId, String reason, String requestedBy)
        implements SwitchbackEvent {
}
