package dev.switchback.migrator.migration.service;

import dev.switchback.events.DatabaseSpec;
import dev.switchback.events.Migration;
import dev.switchback.events.MigrationOutcome;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;

import dev.switchback.lint.BackfillStatement;
import dev.switchback.lint.MigrationLinter;
import dev.switchback.lint.SqlLexer;
import dev.switchback.lint.SqlSyntaxException;
import dev.switchback.migrator.config.MigratorConfig;
import dev.switchback.migrator.fence.TargetDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.concurrent.ThreadLocalRandom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Applies a release's migrations to a target database with Flyway: versioned, checksummed, recorded in the
 * target's own history table and serialised by Flyway's advisory lock. Versions already applied are skipped,
 * so a redelivered release never runs a migration twice; backfills are among them, run in batches.
 */
@ApplicationScoped
public class FlywayRunner {

    private static final Logger LOG = Logger.getLogger(FlywayRunner.class);
    /** LOCK_NOT_AVAILABLE: the SQLSTATE of a lock_timeout. */
    static final String LOCK_NOT_AVAILABLE = "55P03";

    private final MigratorConfig config;

    public FlywayRunner(MigratorConfig config) {
        this.config = config;
    }

    /** HISTORY_TABLE: where the target database records what Switchback applied to it. */
    public static final String HISTORY_TABLE = "switchback_schema_history";

    /** What a run did: the versions applied with their durations, the schema versions around it, the tries it took. */
    public record Outcome(List<MigrationOutcome> applied, String fromVersion, String toVersion, int attempts) {

        public List<String> versions() {
            return applied.stream().map(MigrationOutcome::version).toList();
        }
    }

    /** Why a run failed, and at which version if one can be named. */
    public static class MigrationFailure extends RuntimeException {
        private final String migrationVersion;

        MigrationFailure(String migrationVersion, String message, Throwable cause) {
            super(message, cause);
            this.migrationVersion = migrationVersion;
        }

        public String migrationVersion() {
            return migrationVersion;
        }
    }

    /**
     * Applies the migrations. Each runs with {@code lock_timeout} set, so it never queues behind a long lock and
     * blocks every query behind it; a migration that timed out on a lock is tried again with backoff.
     */
    public Outcome migrate(DatabaseSpec database, List<Migration> migrations) {
        return migrate(database, migrations, (version, batches, rows, matched, done) -> { });
    }

    /**
     * Applies the migrations in version order, schema changes as scripts and backfills in batches
     * ({@link BackfillMigration}), telling {@code progress} how each backfill comes along.
     */
    public Outcome migrate(DatabaseSpec database, List<Migration> migrations, BackfillRunner.Progress progress) {
        List<BackfillMigration> backfills = backfills(database, migrations, progress);
        Path scripts = writeScripts(migrations.stream().filter(m -> !m.backfill()).toList());
        try {
            Flyway flyway = configure(database, scripts, config, backfills);
            long backoff = config.retryBackoff().toMillis();
            for (int attempt = 1; ; attempt++) {
                try {
                    MigrateResult result = flyway.migrate();
                    return new Outcome(result.migrations.stream()
                            .map(m -> new MigrationOutcome(m.version, m.description, m.executionTime)).toList(),
                            result.initialSchemaVersion, result.targetSchemaVersion, attempt);
                } catch (FlywayException e) {
                    cleanUpAfterFailure(flyway, database, migrations);
                    if (!lockTimedOut(e)) {
                        throw new MigrationFailure(firstUnapplied(flyway, migrations), reason(e), e);
                    }
                    if (attempt >= config.lockAttempts()) {
                        throw new MigrationFailure(firstUnapplied(flyway, migrations), "gave up after " + attempt
                                + " tries: each timed out waiting " + lockTimeout(database, config)
                                + " ms for a lock held by another session", e);
                    }
                    long wait = backoff + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
                    LOG.infof("lock timeout on try %d; trying again in %d ms", attempt, wait);
                    sleep(wait);
                    backoff = Math.min(backoff * 2, config.maxBackoff().toMillis());
                }
            }
        } finally {
            delete(scripts);
        }
    }

    /**
     * Leaves the target as it was before the failed migration: a failed CREATE INDEX CONCURRENTLY leaves an
     * INVALID index behind, and a failed non-transactional migration a failed row in the history.
     */
    private static void cleanUpAfterFailure(Flyway flyway, DatabaseSpec database, List<Migration> migrations) {
        List<String> indexes = new ArrayList<>();
        for (Migration migration : migrations) {
            try {
                for (SqlLexer.Statement statement : SqlLexer.statements(migration.sql())) {
                    String index = MigrationLinter.concurrentIndexName(statement);
                    if (index != null) {
                        indexes.add(index);
                    }
                }
            } catch (RuntimeException ignored) {
                // The lint already refused what cannot be read.
            }
        }
        if (!indexes.isEmpty()) {
            try (Connection connection = TargetDatabase.connect(database)) {
                for (String index : indexes) {
                    try (PreparedStatement invalid = connection.prepareStatement("SELECT 1 FROM pg_index i JOIN pg_class c"
                            + " ON c.oid = i.indexrelid WHERE c.oid = to_regclass(?) AND NOT i.indisvalid")) {
                        invalid.setString(1, index);
                        try (ResultSet rs = invalid.executeQuery()) {
                            if (rs.next()) {
                                try (Statement drop = connection.createStatement()) {
                                    drop.execute("DROP INDEX CONCURRENTLY IF EXISTS " + index);
                                    LOG.infof("dropped the INVALID index %s left by a failed CREATE INDEX CONCURRENTLY", index);
                                }
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                LOG.warnf("cannot clean up invalid indexes: %s", e.getMessage());
            }
        }
        try {
            flyway.repair();
        } catch (FlywayException e) {
            LOG.warnf("cannot repair the history after a failure: %s", e.getMessage());
        }
    }

    /** The service's lock timeout if its spec sets one, else the db-migrator's. */
    static long lockTimeout(DatabaseSpec database, MigratorConfig config) {
        return database.lockTimeoutMillis() != null ? database.lockTimeoutMillis() : config.lockTimeout().toMillis();
    }

    /** Flyway's message, or for a backfill (a Java migration, which Flyway reports as "Migration failed !") its own. */
    private static String reason(FlywayException e) {
        Throwable deepest = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BackfillRunner.Failure) {
                return t.getMessage();
            }
            deepest = t;
        }
        return deepest != e && e.getMessage() != null && e.getMessage().startsWith("Migration failed")
                ? "migration failed: " + deepest.getMessage() : e.getMessage();
    }

    private static boolean lockTimedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                return true;
            }
            if (t.getMessage() != null && t.getMessage().contains("SQL State  : " + LOCK_NOT_AVAILABLE)) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationFailure(null, "interrupted while waiting to retry", e);
        }
    }

    private List<BackfillMigration> backfills(DatabaseSpec database, List<Migration> migrations,
                                              BackfillRunner.Progress progress) {
        List<BackfillMigration> backfills = new ArrayList<>();
        for (Migration migration : migrations.stream().filter(Migration::backfill).toList()) {
            BackfillStatement statement;
            try {
                statement = BackfillStatement.parse(migration.sql());
            } catch (SqlSyntaxException e) {
                throw new MigrationFailure(migration.version(), "backfill " + migration.version() + " cannot run in"
                        + " batches: " + e.getMessage(), e);
            }
            MigratorConfig.Backfill defaults = config.backfill();
            backfills.add(new BackfillMigration(migration, statement, new BackfillRunner.Settings(
                    migration.batchSize() != null ? migration.batchSize() : defaults.batchSize(),
                    migration.pauseMillis() != null ? migration.pauseMillis() : defaults.pause().toMillis(),
                    config.lockAttempts(), config.retryBackoff().toMillis(), config.maxBackoff().toMillis(),
                    defaults.progressEveryBatches(), defaults.progressEvery().toMillis()), progress));
        }
        return backfills;
    }

    private static Flyway configure(DatabaseSpec database, Path scripts, MigratorConfig config,
                                    List<BackfillMigration> backfills) {
        String password = database.passwordEnv() == null ? null : System.getenv(database.passwordEnv());
        return Flyway.configure()
                .javaMigrations(backfills.toArray(new org.flywaydb.core.api.migration.JavaMigration[0]))
                .initSql("SET lock_timeout = " + lockTimeout(database, config) + "; SET statement_timeout = "
                        + config.statementTimeout().toMillis())
                .dataSource(database.url(), database.username(), password)
                .locations("filesystem:" + scripts.toAbsolutePath())
                .table(HISTORY_TABLE)
                // A target database usually predates Switchback: its existing schema is the baseline.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                // Each release carries only its own migrations: earlier ones, and later ones when an older version is
                // shipped again, are in the history but not here.
                .ignoreMigrationPatterns("*:missing", "*:future")
                .validateOnMigrate(true)
                .cleanDisabled(true)
                .connectRetries(3)
                // Flyway's default lock is held in an open transaction for the whole run, and CREATE INDEX
                // CONCURRENTLY waits for every open transaction: it would wait for Flyway itself until it timed out.
                .configuration(java.util.Map.of("flyway.postgresql.transactional.lock", "false"))
                .load();
    }

    private static String firstUnapplied(Flyway flyway, List<Migration> migrations) {
        try {
            for (MigrationInfo info : flyway.info().all()) {
                if (info.getVersion() != null && info.getState() != MigrationState.SUCCESS
                        && info.getState() != MigrationState.BASELINE
                        && migrations.stream().anyMatch(m -> m.version().equals(info.getVersion().getVersion()))) {
                    return info.getVersion().getVersion();
                }
            }
        } catch (FlywayException ignored) {
            // The database may be unreachable: the failure's message says so, without a version.
        }
        return null;
    }

    private static Path writeScripts(List<Migration> migrations) {
        try {
            Path dir = Files.createTempDirectory("switchback-migrations");
            for (Migration migration : migrations) {
                String description = migration.description() == null || migration.description().isBlank()
                        ? "migration" : migration.description().trim().replaceAll("[^A-Za-z0-9]+", "_");
                Files.writeString(dir.resolve("V" + migration.version() + "__" + description + ".sql"), migration.sql());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // A temp directory left behind holds only SQL already recorded in the release.
        }
    }
}
