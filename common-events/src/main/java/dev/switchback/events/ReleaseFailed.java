package dev.switchback.events;

/**
 * A release ended without reaching live; blue kept serving.
 *
 * @param release which release this is about
 * @param stage stage that failed: migration, deployment or cutover
 * @param reason why it failed
 */
public record ReleaseFailed(ReleaseRef release, String stage, String reason) implements SwitchbackEvent {
}
