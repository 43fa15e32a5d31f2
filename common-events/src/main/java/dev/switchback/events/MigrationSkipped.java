package dev.switchback.events;

/**
 * A release had nothing to migrate.
 *
 * @param release which release this is about
 * @param spec what the release asks for, so the deployer can go on
 * @param reason why nothing ran
 */
public record MigrationSkipped(ReleaseRef release, ReleaseSpec spec, String reason) implements SwitchbackEvent {
}
