package dev.switchback.events;

/**
 * A live release passed its bake: it is the service's only version now and blue is retired.
 *
 * @param release which release this is about
 * @param reason  how the bake ended
 */
public record ReleasePromoted(ReleaseRef release, String reason) implements SwitchbackEvent {
}
