package dev.switchback.events;

/**
 * A well-formed release request was refused; nothing runs.
 *
 * @param release which release this is about
 * @param reason why it was refused
 */
public record ReleaseRejected(ReleaseRef release, String reason) implements SwitchbackEvent {
}
