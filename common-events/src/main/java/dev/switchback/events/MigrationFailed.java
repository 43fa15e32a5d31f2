package dev.switchback.events;

/**
 * A migration failed; its transaction rolled back and no code is deployed.
 *
 * @param release which release this is about
 * @param migrationVersion version that failed, null when the failure came before any
 * @param reason the database's or the migrator's message
 */
public record MigrationFailed(ReleaseRef release, String migrationVersion, String reason) implements SwitchbackEvent {
}
