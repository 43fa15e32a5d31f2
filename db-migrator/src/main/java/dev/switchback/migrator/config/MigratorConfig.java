package dev.switchback.migrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the db-migrator. */
@ConfigMapping(prefix = "switchback.migrator")
public interface MigratorConfig {

    /** How long a statement may wait for a lock before it gives up (PostgreSQL {@code lock_timeout}). */
    @WithDefault("1s")
    Duration lockTimeout();

    /** How long one statement may run (PostgreSQL {@code statement_timeout}). */
    @WithDefault("30m")
    Duration statementTimeout();

    /** How many times a migration that timed out on a lock is tried in all. */
    @WithDefault("10")
    int lockAttempts();

    /** The wait before the second try; it doubles each time, with jitter. */
    @WithDefault("100ms")
    Duration retryBackoff();

    /** The longest wait between two tries. */
    @WithDefault("5s")
    Duration maxBackoff();

    /** The {@code pg_dump} that copies a target's schema for a contract release's proof (from postgresql-client). */
    @WithDefault("pg_dump")
    String pgDump();

    /** The {@code pg_restore} that fills the copy. */
    @WithDefault("pg_restore")
    String pgRestore();

    /** Settings of copies of releases asked for by an admin. */
    Copies copies();

    interface Copies {

        /**
         * How long after a copy's retention ended its schema copy is dropped even though the deployer has not said
         * it retired the copy (the deployer's word normally drops it at once).
         */
        @WithDefault("1m")
        Duration grace();

        /** How often copies past their retention and grace are looked for. */
        @WithDefault("5s")
        Duration sweepInterval();
    }

    /** Settings of backfill migrations, run in batches. */
    Backfill backfill();

    interface Backfill {

        /** Rows per batch when the migration names no batch size. */
        @WithDefault("1000")
        int batchSize();

        /** Pause between two batches when the migration names none: room for the live traffic's writes. */
        @WithDefault("10ms")
        Duration pause();

        /** A progress event at least every this many batches. */
        @WithDefault("20")
        int progressEveryBatches();

        /** A progress event at least this often while batches commit. */
        @WithDefault("5s")
        Duration progressEvery();
    }
}
