package dev.switchback.events;

/**
 * Traffic could not be moved back.
 *
 * @param release which release this is about
 * @param reason why the rollback failed
 */
public record RollbackFailed(ReleaseRef release, String reason) implements SwitchbackEvent {
}
