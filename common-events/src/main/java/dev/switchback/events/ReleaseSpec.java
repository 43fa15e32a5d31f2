package dev.switchback.events;

import java.util.List;

/**
 * What a release asks for, with a snapshot of its service spec taken when it was requested, so every stage
 * of the pipeline works from the same facts even if the service spec changes meanwhile.
 *
 * @param artifact        what the runtime driver runs (a jar path for {@code process})
 * @param runtime         how instances are started
 * @param router          how traffic reaches the live color
 * @param health          how health is checked
 * @param database        target database of the migrations; null when the service has none
 * @param migrations      migrations to apply before code, in order; empty for none
 * @param phase           the change kind under its version 1 name; kept for consumers of version 1, read
 *                        {@link #changeKindOrDefault()} instead
 * @param schemaOnly      whether it is a contract release, under its version 1 name; kept for consumers of version 1,
 *                        read {@link #isContractRelease()} instead
 * @param rollout         how traffic moves to green and how long it bakes; null for a contract release, which moves no
 *                        traffic ({@link RolloutSpec#none()})
 * @param changeKind      {@code expand} (default when null) or {@code contract}: which schema changes the migrations may make
 * @param contractRelease whether the release is a contract release, which applies contract migrations and deploys no
 *                        code; null means false
 * @param allowUnsafe     lint rules this release overrides, each with the reason a person gave and a second person
 *                        approved; null or empty for none
 * @param fix             why this is a fix release (roll forward: blue itself is broken, so the blue health gate is
 *                        skipped); null for an ordinary release
 */
public record ReleaseSpec(String artifact, RuntimeSpec runtime, RouterSpec router, HealthSpec health,
                          DatabaseSpec database, List<Migration> migrations, String phase, Boolean schemaOnly,
                          RolloutSpec rollout, String changeKind, Boolean contractRelease,
                          List<UnsafeOverride> allowUnsafe, String fix) {

    /** A release spec without overrides and not a fix release, as version 1 and 2 producers wrote it. */
    public ReleaseSpec(String artifact, RuntimeSpec runtime, RouterSpec router, HealthSpec health,
                       DatabaseSpec database, List<Migration> migrations, String phase, Boolean schemaOnly,
                       RolloutSpec rollout, String changeKind, Boolean contractRelease) {
        this(artifact, runtime, router, health, database, migrations, phase, schemaOnly, rollout, changeKind,
                contractRelease, null, null);
    }

    /** A release spec with its change kind and contract-release flag, written under both their names. */
    public ReleaseSpec(String artifact, RuntimeSpec runtime, RouterSpec router, HealthSpec health,
                       DatabaseSpec database, List<Migration> migrations, String changeKind, Boolean contractRelease,
                       RolloutSpec rollout) {
        this(artifact, runtime, router, health, database, migrations, changeKind, contractRelease, rollout, changeKind,
                contractRelease);
    }

    /** A release spec without a rollout: blue-green, no bake. */
    public ReleaseSpec(String artifact, RuntimeSpec runtime, RouterSpec router, HealthSpec health,
                       DatabaseSpec database, List<Migration> migrations, String changeKind, Boolean contractRelease) {
        this(artifact, runtime, router, health, database, migrations, changeKind, contractRelease, null);
    }

    /** A release of code, with its expand migrations. */
    public ReleaseSpec(String artifact, RuntimeSpec runtime, RouterSpec router, HealthSpec health,
                       DatabaseSpec database, List<Migration> migrations) {
        this(artifact, runtime, router, health, database, migrations, "expand", false);
    }

    /** The rollout; {@link RolloutSpec#none()} when none was given. */
    public RolloutSpec rolloutOrDefault() {
        return rollout == null ? RolloutSpec.none() : rollout;
    }

    /** The change kind, from either of its names; {@code expand} when neither is given. */
    public String changeKindOrDefault() {
        return changeKind != null ? changeKind : phase != null ? phase : "expand";
    }

    /** The lint overrides; empty when none. */
    public List<UnsafeOverride> allowUnsafeOrEmpty() {
        return allowUnsafe == null ? List.of() : allowUnsafe;
    }

    /** Whether this is a fix release, which may skip the blue health gate. */
    public boolean fixRelease() {
        return fix != null && !fix.isBlank();
    }

    /** Whether the release deploys no code (a contract release), from either of its names. */
    public boolean isContractRelease() {
        return Boolean.TRUE.equals(contractRelease != null ? contractRelease : schemaOnly);
    }
}
