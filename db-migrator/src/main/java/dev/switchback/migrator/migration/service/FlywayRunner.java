package dev.switchback.migrator.migration.service;

import dev.switchback.events.DatabaseSpec;
import dev.switchback.events.Migration;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;

import jakarta.enterprise.context.ApplicationScoped;

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
 * so a redelivered release never runs a migration twice.
 */
@ApplicationScoped
public class FlywayRunner {

    /** HISTORY_TABLE: where the target database records what Switchback applied to it. */
    public static final String HISTORY_TABLE = "switchback_schema_history";

    /** What a run did. */
    public record Outcome(List<String> applied) {
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

    public Outcome migrate(DatabaseSpec database, List<Migration> migrations) {
        Path scripts = writeScripts(migrations);
        try {
            Flyway flyway = configure(database, scripts);
            try {
                MigrateResult result = flyway.migrate();
                return new Outcome(result.migrations.stream().map(m -> m.version).toList());
            } catch (FlywayException e) {
                throw new MigrationFailure(firstUnapplied(flyway, migrations), e.getMessage(), e);
            }
        } finally {
            delete(scripts);
        }
    }

    private static Flyway configure(DatabaseSpec database, Path scripts) {
        String password = database.passwordEnv() == null ? null : System.getenv(database.passwordEnv());
        return Flyway.configure()
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
