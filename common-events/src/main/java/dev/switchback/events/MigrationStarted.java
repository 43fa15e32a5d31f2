package dev.switchback.events;

/**
 * The migrator began applying a release's migrations.
 *
 * @param release which release this is about
 * @param versions migration versions to apply, in order
 */
public record MigrationStarted(ReleaseRef release, java.util.List<String> versions) implements SwitchbackEvent {
}
