package dev.switchback.events;

/**
 * Traffic of a live release is to go back to blue.
 *
 * @param release which release this is about
 * @param reason why the rollback was asked for
 */
public record RollbackRequested(ReleaseRef release, String reason) implements SwitchbackEvent {
}
