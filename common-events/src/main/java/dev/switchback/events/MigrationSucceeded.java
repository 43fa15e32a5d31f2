package dev.switchback.events;

/**
 * Every migration of a release is applied.
 *
 * @param release which release this is about
 * @param spec what the release asks for, so the deployer can go on
 * @param applied versions applied by this run, in order; versions found already applied are left out
 * @param durationMillis time the migrations took
 * @param fromSchemaVersion the target's schema version before, as Flyway records it; null for an empty history
 * @param toSchemaVersion   the target's schema version after
 * @param outcomes          each migration applied by this run, with how long it ran
 * @param overridden        the lint violations the release's approved overrides let through, each as "migration
 *                          version line n (rule): statement"; null or empty for none (added in 0.3)
 */
public record MigrationSucceeded(ReleaseRef release, ReleaseSpec spec, java.util.List<String> applied, long durationMillis,
                                 String fromSchemaVersion, String toSchemaVersion, java.util.List<MigrationOutcome> outcomes,
                                 java.util.List<String> overridden)
        implements SwitchbackEvent {

    /** Without overridden violations. */
    public MigrationSucceeded(ReleaseRef release, ReleaseSpec spec, java.util.List<String> applied, long durationMillis,
                              String fromSchemaVersion, String toSchemaVersion, java.util.List<MigrationOutcome> outcomes) {
        this(release, spec, applied, durationMillis, fromSchemaVersion, toSchemaVersion, outcomes, null);
    }

    /** Without the per-migration detail. */
    public MigrationSucceeded(ReleaseRef release, ReleaseSpec spec, java.util.List<String> applied, long durationMillis) {
        this(release, spec, applied, durationMillis, null, null, java.util.List.of());
    }
}
