package dev.switchback.migrator.migration.service;

import dev.switchback.events.MigrationFailed;
import dev.switchback.events.MigrationSkipped;
import dev.switchback.events.MigrationStarted;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.Migration;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.events.UnsafeOverride;
import dev.switchback.lint.LintReport;
import dev.switchback.lint.MigrationLinter;
import dev.switchback.lint.ChangeKind;
import dev.switchback.messaging.AfterCommit;
import dev.switchback.messaging.Outbox;
import dev.switchback.migrator.fence.service.FenceService;
import dev.switchback.migrator.migration.MigrationRun;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Applies the schema change of a started release before any of its code runs, and says how it went. */
@ApplicationScoped
public class MigrationService {

    private static final Logger LOG = Logger.getLogger(MigrationService.class);

    private final FlywayRunner flyway;
    private final FenceService fence;
    private final BackfillProgressEvents progress;
    private final ContractProof proof;
    private final Outbox outbox;
    private final Clock clock;

    private final MeterRegistry registry;
    private final TransactionSynchronizationRegistry transactions;

    public MigrationService(FlywayRunner flyway, FenceService fence, BackfillProgressEvents progress, ContractProof proof,
                            Outbox outbox, Clock clock, MeterRegistry registry,
                            TransactionSynchronizationRegistry transactions) {
        this.registry = registry;
        this.transactions = transactions;
        for (String outcome : java.util.List.of("SUCCEEDED", "FAILED", "SKIPPED")) {
            duration(outcome);
        }
        this.flyway = flyway;
        this.fence = fence;
        this.progress = progress;
        this.proof = proof;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Runs in the consumer's transaction: the run's record and its events commit with the processed mark. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void migrate(ReleaseStarted started) {
        List<Migration> migrations = started.spec().migrations() == null ? List.of() : started.spec().migrations();
        Instant start = clock.instant();
        if (migrations.isEmpty()) {
            if (!fenced(started, start)) {
                return;
            }
            record(started, "SKIPPED", null, "no migrations", start);
            outbox.publish(new MigrationSkipped(started.release(), started.spec(), "the release carries no migrations"));
            return;
        }
        if (started.spec().database() == null) {
            fail(started, null, "the release carries migrations but its service spec names no target database", start);
            return;
        }
        Set<String> overrides = started.spec().allowUnsafeOrEmpty().stream().map(UnsafeOverride::rule)
                .collect(Collectors.toSet());
        if (!overrides.isEmpty() && started.approvedBy() == null) {
            // release-api never starts such a release unapproved; an event that says otherwise is not taken at its word.
            fail(started, null, "the release overrides lint rule(s) " + String.join(", ", overrides)
                    + " but carries no approval; an override needs a second person's approval", start);
            return;
        }
        LintReport lint = MigrationLinter.lint(migrations.stream()
                .map(m -> new MigrationLinter.Script(m.version(), m.sql(), m.backfill())).toList(),
                ChangeKind.of(started.spec().changeKindOrDefault()), overrides);
        if (!lint.allowed()) {
            fail(started, lint.violations().get(0).migration(), "refused by the lint before touching the database: "
                    + lint.violations().stream().map(v -> "migration " + v.migration() + " line " + v.line() + " ("
                    + v.rule() + ") " + v.message()).collect(java.util.stream.Collectors.joining("; ")), start);
            return;
        }
        if (!fenced(started, start)) {
            return;
        }
        if (started.spec().isContractRelease()) {
            proof.prepare(started, migrations, start);
            return;
        }
        List<String> versions = migrations.stream().map(Migration::version).toList();
        outbox.publish(new MigrationStarted(started.release(), versions));
        try {
            FlywayRunner.Outcome outcome = flyway.migrate(started.spec().database(), migrations,
                    progress.of(started.release()));
            long millis = Duration.between(start, clock.instant()).toMillis();
            List<String> overridden = lint.overridden().stream().map(v -> "migration " + v.migration() + " line "
                    + v.line() + " (" + v.rule() + "): " + v.statement()).toList();
            record(started, "SUCCEEDED", String.join(",", outcome.versions()), overridden.isEmpty() ? null
                    : "approved by " + started.approvedBy() + ", overridden: " + String.join("; ", overridden), start);
            outbox.publish(new MigrationSucceeded(started.release(), started.spec(), outcome.versions(), millis,
                    outcome.fromVersion(), outcome.toVersion(), outcome.applied(), overridden.isEmpty() ? null : overridden));
            LOG.infof("release %s: applied %s to %s in %d tries", started.release().id(), outcome.versions(),
                    started.release().key(), outcome.attempts());
        } catch (FlywayRunner.MigrationFailure e) {
            fail(started, e.migrationVersion(), e.getMessage(), start);
        }
    }

    /** The fence, for every release: its target database and every database its green's configuration names. */
    private boolean fenced(ReleaseStarted started, Instant start) {
        try {
            fence.checkRelease(started.release(), started.spec());
            return true;
        } catch (FenceService.Refused e) {
            fail(started, null, "fence: " + e.getMessage(), start);
            return false;
        }
    }

    private void fail(ReleaseStarted started, String version, String reason, Instant start) {
        LOG.warnf("release %s: migration failed: %s", started.release().id(), reason);
        record(started, "FAILED", null, reason, start);
        outbox.publish(new MigrationFailed(started.release(), version, reason));
    }

    private void record(ReleaseStarted started, String outcome, String applied, String reason, Instant start) {
        Instant end = clock.instant();
        MigrationRun.record(started.release(), outcome, applied, reason, start, end);
        // Counted once the outcome commits: a handling tried again after a database outage counts once.
        Timer timer = duration(outcome);
        AfterCommit.run(transactions, () -> timer.record(Duration.between(start, end)));
    }

    /** {@code switchback_migration_duration_seconds{outcome}}: a release's migrations, from the event to the outcome. */
    private Timer duration(String outcome) {
        return Timer.builder("switchback.migration.duration").tag("outcome", outcome.toLowerCase(java.util.Locale.ROOT))
                .description("time a release's migrations took, lint and fence included").register(registry);
    }
}
