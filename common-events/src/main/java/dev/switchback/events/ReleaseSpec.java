package dev.switchback.events;

import java.util.List;

/**
 * What a release asks for, with a snapshot of its service spec taken when it was requested, so every stage
 * of the pipeline works from the same facts even if the service spec changes meanwhile.
 *
 * @param artifact   what the runtime driver runs (a jar path for {@code process})
 * @param runtime    how instances are started
 * @param router     how traffic reaches the live color
 * @param health     how health is checked
 * @param database   target database of the migrations; null when the service has none
 * @param migrations migrations to apply before code, in order; empty for none
 * @param phase      {@code expand} (default when null) or {@code contract}: which schema changes the migrations may make
 * @param schemaOnly whether the release deploys no code (a contract release); null means false
 * @param rollout    how traffic moves to green and how long it bakes; null means blue-green with no bake
 */
public record ReleaseSpec(String artifact, RuntimeSpec runtime, RouterSpec router, HealthSpec health,
                          DatabaseSpec database, List<Migration> migrations, String phase, Boolean schemaOnly,
                          RolloutSpec rollout) {

    /** A release spec without a rollout: blue-green, no bake. */
    public ReleaseSpec(String artifact, RuntimeSpec runtime, RouterSpec router, HealthSpec health,
                       DatabaseSpec database, List<Migration> migrations, String phase, Boolean schemaOnly) {
        this(artifact, runtime, router, health, database, migrations, phase, schemaOnly, null);
    }

    /** A release of code, with its expand migrations. */
    public ReleaseSpec(String artifact, RuntimeSpec runtime, RouterSpec router, HealthSpec health,
                       DatabaseSpec database, List<Migration> migrations) {
        this(artifact, runtime, router, health, database, migrations, "expand", false);
    }

    /** The rollout, blue-green with no bake when none was given. */
    public RolloutSpec rolloutOrDefault() {
        return rollout == null ? new RolloutSpec(RolloutSpec.BLUE_GREEN, List.of(), 0, null) : rollout;
    }

    /** Whether the release deploys no code. */
    public boolean isSchemaOnly() {
        return Boolean.TRUE.equals(schemaOnly);
    }
}
