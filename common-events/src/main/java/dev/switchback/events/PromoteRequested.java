package dev.switchback.events;

/**
 * The bake of a live release is to end now, successfully: blue is to be retired.
 *
 * @param release which release this is about
 * @param reason  why it is promoted early
 */
public record PromoteRequested(ReleaseRef release, String reason) implements SwitchbackEvent {
}
