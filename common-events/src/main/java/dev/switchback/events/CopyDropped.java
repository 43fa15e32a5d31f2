package dev.switchback.events;

/**
 * The schema copy of a requested copy was dropped: the copy is gone for good.
 *
 * @param release  the release copied
 * @param copyId   the copy this is about
 * @param database the dropped database's name
 * @param reason   why it was dropped
 */
public record CopyDropped(ReleaseRef release, String copyId, String database, String reason) implements SwitchbackEvent {
}
