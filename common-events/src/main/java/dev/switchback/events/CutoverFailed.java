package dev.switchback.events;

/**
 * Traffic could not be moved; blue keeps it.
 *
 * @param release which release this is about
 * @param reason why the cutover failed
 */
public record CutoverFailed(ReleaseRef release, String reason) implements SwitchbackEvent {
}
