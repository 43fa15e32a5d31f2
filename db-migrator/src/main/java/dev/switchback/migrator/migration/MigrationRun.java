package dev.switchback.migrator.migration;

import dev.switchback.events.ReleaseRef;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One run of a release's migrations against its target database. */
@Entity
@Table(name = "migration_run")
public class MigrationRun extends PanacheEntityBase {

    /** releaseId: the release whose migrations ran. */
    @Id
    @Column(name = "release_id")
    public String releaseId;

    /** service: the service whose target database it was. */
    public String service;

    /** environment: the release's environment. */
    public String environment;

    /** version: the release's version. */
    public String version;

    /** outcome: SUCCEEDED, SKIPPED, FAILED, PROVING while a contract waits for its copy's verdict, or CANCELLED when its release ended meanwhile. */
    public String outcome;

    /** applied: migration versions applied by this run, comma separated. */
    public String applied;

    /** reason: why it failed or was skipped; for a run that succeeded, the lint violations approved overrides let through. */
    public String reason;

    /** spec: the release's spec as JSON while it is PROVING, so the verdict can apply its contract; null otherwise. */
    public String spec;

    /** copyDatabase: the scratch database a contract is proven on; null when there is none. */
    @Column(name = "copy_database")
    public String copyDatabase;

    /** startedAt: when the run began. */
    @Column(name = "started_at")
    public Instant startedAt;

    /** finishedAt: when it ended. */
    @Column(name = "finished_at")
    public Instant finishedAt;

    /** Records a release's run with this outcome, creating its row the first time; answers it for further fields. */
    public static MigrationRun record(ReleaseRef release, String outcome, String applied,
                                      String reason, Instant startedAt, Instant finishedAt) {
        MigrationRun run = findById(release.id());
        if (run == null) {
            run = new MigrationRun();
            run.releaseId = release.id();
        }
        run.service = release.service();
        run.environment = release.environment();
        run.version = release.version();
        run.outcome = outcome;
        run.applied = applied;
        run.reason = reason;
        run.startedAt = startedAt;
        run.finishedAt = finishedAt;
        run.persist();
        return run;
    }
}
