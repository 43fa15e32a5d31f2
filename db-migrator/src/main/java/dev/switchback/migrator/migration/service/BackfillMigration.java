package dev.switchback.migrator.migration.service;

import dev.switchback.events.Migration;
import dev.switchback.lint.BackfillStatement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * A backfill as Flyway sees it: a migration of its own version, run outside Flyway's transaction by
 * {@link BackfillRunner}. Flyway records it in the history only once its last batch changed no row, so a finished
 * backfill is never run again and one cut short (a crash, a lock it gave up on) is run again, and its WHERE makes it
 * resume where it stopped.
 */
final class BackfillMigration implements JavaMigration {

    private final Migration migration;
    private final BackfillStatement statement;
    private final BackfillRunner.Settings settings;
    private final BackfillRunner.Progress progress;

    BackfillMigration(Migration migration, BackfillStatement statement, BackfillRunner.Settings settings,
                      BackfillRunner.Progress progress) {
        this.migration = migration;
        this.statement = statement;
        this.settings = settings;
        this.progress = progress;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion(migration.version());
    }

    @Override
    public String getDescription() {
        return migration.description() == null || migration.description().isBlank() ? "backfill" : migration.description();
    }

    /** The checksum of the SQL, so the same version shipped again with other SQL fails validation as a script does. */
    @Override
    public Integer getChecksum() {
        CRC32 crc = new CRC32();
        crc.update(migration.sql().getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    /** Each batch commits on its own: the backfill must not run inside one transaction. */
    @Override
    public boolean canExecuteInTransaction() {
        return false;
    }

    @Override
    public void migrate(Context context) throws Exception {
        BackfillRunner.run(context.getConnection(), migration.version(), statement, settings, progress);
    }
}
