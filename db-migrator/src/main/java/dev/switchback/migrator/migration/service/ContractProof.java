package dev.switchback.migrator.migration.service;

import dev.switchback.events.CopyPrepared;
import dev.switchback.events.CopyVerified;
import dev.switchback.events.DatabaseSpec;
import dev.switchback.events.EventCodec;
import dev.switchback.events.Migration;
import dev.switchback.events.MigrationFailed;
import dev.switchback.events.MigrationStarted;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.messaging.EndedReleases;
import dev.switchback.messaging.Outbox;
import dev.switchback.migrator.copy.SchemaCopy;
import dev.switchback.migrator.fence.service.FenceService;
import dev.switchback.migrator.migration.MigrationRun;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A contract change proven before it touches production: applied first to a schema copy, then, once the deployer
 * says a copy of the live version stayed healthy against it, to the target; a break fails the release with the copy's
 * evidence and the target untouched. The run waits in {@link #PROVING} between the two, in the database, so a
 * redelivered verdict or a restart finishes it once.
 */
@ApplicationScoped
public class ContractProof {

    /** PROVING: the run's outcome while the copy's verdict is awaited. */
    public static final String PROVING = "PROVING";

    private static final Logger LOG = Logger.getLogger(ContractProof.class);

    private final FlywayRunner flyway;
    private final SchemaCopy copies;
    private final FenceService fence;
    private final EndedReleases ended;
    private final Outbox outbox;
    private final Clock clock;

    public ContractProof(FlywayRunner flyway, SchemaCopy copies, FenceService fence, EndedReleases ended,
                         Outbox outbox, Clock clock) {
        this.flyway = flyway;
        this.copies = copies;
        this.fence = fence;
        this.ended = ended;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The lint and the fence passed: the contract goes to a copy of the target's schema, production waits. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void prepare(ReleaseStarted started, List<Migration> migrations, Instant start) {
        ReleaseRef release = started.release();
        DatabaseSpec target = started.spec().database();
        String copy = SchemaCopy.name(target, release);
        if (ended.isEnded(release.id())) {
            LOG.infof("release %s ended before its contract was proven; no copy is made", release.id());
            return;
        }
        try {
            DatabaseSpec copySpec = copies.create(target, copy, release);
            FlywayRunner.Outcome outcome = flyway.migrate(copySpec, migrations);
            MigrationRun run = record(release, PROVING, null, "proving the contract on " + copy, start);
            run.spec = EventCodec.toJson(started.spec());
            run.copyDatabase = copy;
            outbox.publish(new CopyPrepared(release, copySpec.url(), copy, outcome.versions()));
            LOG.infof("release %s: contract applied to the copy %s; waiting for the live version's verdict", release.id(), copy);
        } catch (FlywayRunner.MigrationFailure e) {
            dropQuietly(target, copy);
            fail(release, e.migrationVersion(), "the contract fails on a copy of the schema, production untouched: "
                    + e.getMessage(), start);
        } catch (SchemaCopy.Failure | IllegalArgumentException e) {
            dropQuietly(target, copy);
            fail(release, null, "cannot prove the contract on a copy, production untouched: " + e.getMessage(), start);
        }
    }

    /**
     * A release that ended (failed, cancelled) while its contract was proven: the copy is dropped and the run ends, so
     * a verdict arriving later finds no run proving and production is never touched. Decided under the run's row lock,
     * the one the verdict takes: either the verdict applied the contract first, or it finds the run ended.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void releaseEnded(ReleaseRef release, String reason) {
        ended.record(release.id(), reason);
        MigrationRun run = MigrationRun.findById(release.id(), LockModeType.PESSIMISTIC_WRITE);
        if (run == null || !PROVING.equals(run.outcome)) {
            return;
        }
        ReleaseSpec spec = EventCodec.fromJson(run.spec, ReleaseSpec.class);
        dropQuietly(spec.database(), run.copyDatabase);
        record(release, "CANCELLED", null, "the release ended while its contract was proven on a copy: " + reason,
                run.startedAt).spec = null;
        LOG.infof("release %s ended while proving; the copy %s is dropped, production untouched", release.id(),
                run.copyDatabase);
    }

    /** The deployer's verdict on the copy: apply the contract to production, or fail with the copy's evidence. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void verdict(CopyVerified verdict) {
        MigrationRun run = MigrationRun.findById(verdict.release().id(), LockModeType.PESSIMISTIC_WRITE);
        if (run == null || !PROVING.equals(run.outcome)) {
            LOG.infof("release %s: a copy verdict for a run not proving (%s); nothing to do", verdict.release().id(),
                    run == null ? "none" : run.outcome);
            return;
        }
        ReleaseSpec spec = EventCodec.fromJson(run.spec, ReleaseSpec.class);
        ReleaseRef release = verdict.release();
        Instant start = run.startedAt;
        dropQuietly(spec.database(), run.copyDatabase);
        if (!verdict.healthy()) {
            fail(release, null, "the contract breaks the live version " + verdict.version() + " on a copy of the schema,"
                    + " production untouched: " + evidence(verdict), start);
            return;
        }
        try {
            fence.checkRelease(release, spec);
        } catch (FenceService.Refused e) {
            fail(release, null, "fence: " + e.getMessage(), start);
            return;
        }
        List<Migration> migrations = spec.migrations();
        outbox.publish(new MigrationStarted(release, migrations.stream().map(Migration::version).toList()));
        try {
            FlywayRunner.Outcome outcome = flyway.migrate(spec.database(), migrations);
            long millis = Duration.between(start, clock.instant()).toMillis();
            record(release, "SUCCEEDED", String.join(",", outcome.versions()), null, start).spec = null;
            outbox.publish(new MigrationSucceeded(release, spec, outcome.versions(), millis, outcome.fromVersion(),
                    outcome.toVersion(), outcome.applied()));
        } catch (FlywayRunner.MigrationFailure e) {
            fail(release, e.migrationVersion(), e.getMessage(), start);
        }
    }

    private static String evidence(CopyVerified verdict) {
        StringBuilder text = new StringBuilder();
        if (verdict.failingPath() != null) {
            text.append("GET ").append(verdict.failingPath()).append(verdict.status() == null ? " did not answer"
                    : " answered " + verdict.status()).append(": ");
        }
        text.append(verdict.evidence());
        if (verdict.log() != null && !verdict.log().isBlank()) {
            text.append("; the copy's log: ").append(verdict.log());
        }
        return text.toString();
    }

    private void dropQuietly(DatabaseSpec target, String copy) {
        if (target == null || copy == null) {
            return;
        }
        try {
            copies.drop(target, copy);
        } catch (SchemaCopy.Failure e) {
            LOG.warnf("%s; it is dropped when the release is proven again or by hand", e.getMessage());
        }
    }

    private void fail(ReleaseRef release, String version, String reason, Instant start) {
        LOG.warnf("release %s: migration failed: %s", release.id(), reason);
        MigrationRun run = record(release, "FAILED", null, reason, start);
        run.spec = null;
        outbox.publish(new MigrationFailed(release, version, reason));
    }

    private MigrationRun record(ReleaseRef release, String outcome, String applied, String reason, Instant start) {
        return MigrationRun.record(release, outcome, applied, reason, start, clock.instant());
    }
}
