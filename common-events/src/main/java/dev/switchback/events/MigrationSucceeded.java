package dev.switchback.events;

/**
 * Every migration of a release is applied.
 *
 * @param release which release this is about
 * @param spec what the release asks for, so the deployer can go on
 * @param applied versions applied by this run, in order; versions found already applied are left out
 * @param durationMillis time the migrations took
 */
public record MigrationSucceeded(ReleaseRef release, ReleaseSpec spec, java.util.List<String> applied, long durationMillis) implements SwitchbackEvent {
}
