package dev.switchback.migrator.migration.service;

import dev.switchback.lint.BackfillStatement;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs one backfill in batches, each its own short transaction under the session's lock timeout, until a batch
 * changes no row: {@code UPDATE t SET ... WHERE ctid = ANY (ARRAY(SELECT ctid FROM t WHERE (w) LIMIT n FOR UPDATE))
 * AND (w)}. The WHERE is what makes a restart resume: rows done no longer match. A batch whose changed rows still match
 * is rolled back and fails the backfill, since it would change them again forever; so does a run that takes more
 * batches than the rows matched at its start allow.
 */
final class BackfillRunner {

    private static final Logger LOG = Logger.getLogger(BackfillRunner.class);

    /** Hears of the backfill's progress; called between batches, outside any transaction of the target. */
    interface Progress {
        void report(String version, long batches, long rows, long matchedAtStart, boolean done);
    }

    /**
     * How a backfill runs.
     *
     * @param batchSize            rows per batch
     * @param pauseMillis          pause between two batches
     * @param lockAttempts         tries of one batch that times out on a lock
     * @param backoffMillis        wait before a batch's second try; doubles, with jitter
     * @param maxBackoffMillis     longest wait between two tries
     * @param progressEveryBatches report at least every this many batches
     * @param progressEveryMillis  report at least this often
     */
    record Settings(int batchSize, long pauseMillis, int lockAttempts, long backoffMillis, long maxBackoffMillis,
                    int progressEveryBatches, long progressEveryMillis) {
    }

    /** What a run did: batches committed, rows changed, rows its WHERE matched at the start. */
    record Result(long batches, long rows, long matchedAtStart) {
    }

    /** Why a backfill stopped; the batches committed before it stay committed. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    private BackfillRunner() {
    }

    static Result run(Connection connection, String version, BackfillStatement statement, Settings settings,
                      Progress progress) throws SQLException {
        String where = "(" + statement.whereClause() + ")";
        String rows = "ARRAY(SELECT ctid FROM " + statement.table() + " WHERE " + where + " LIMIT "
                + settings.batchSize() + " FOR UPDATE)";
        // The condition is repeated outside: on a partitioned table a ctid is unique only within one partition.
        String batch = statement.delete()
                ? "WITH changed AS (DELETE FROM " + statement.table() + " WHERE ctid = ANY (" + rows + ") AND " + where
                + " RETURNING 1) SELECT count(*), 0 FROM changed"
                : "WITH changed AS (UPDATE " + statement.table() + " SET " + statement.setClause() + " WHERE ctid = ANY ("
                + rows + ") AND " + where + " RETURNING (" + where + ") IS TRUE AS still) SELECT count(*),"
                + " count(*) FILTER (WHERE still) FROM changed";
        boolean autoCommit = connection.getAutoCommit();
        try {
            connection.setAutoCommit(true);
            long matched = matched(connection, statement.table(), where);
            // Twice what the rows matched at the start need, and some: rows the live code adds meanwhile are welcome,
            // a WHERE that matches without end is not.
            long maxBatches = 2 * ((matched + settings.batchSize() - 1) / settings.batchSize()) + 10;
            long batches = 0;
            long changed = 0;
            long reportedAt = System.nanoTime();
            long reportedBatches = 0;
            connection.setAutoCommit(false);
            while (true) {
                long[] counts = batchWithRetries(connection, version, batch, settings);
                if (counts[0] == 0) {
                    progress.report(version, batches, changed, matched, true);
                    return new Result(batches, changed, matched);
                }
                batches++;
                changed += counts[0];
                if (batches > maxBatches) {
                    throw new Failure("backfill " + version + " stopped after " + batches + " batches (" + changed
                            + " rows): its WHERE matched " + matched + " rows at the start, which needs at most "
                            + maxBatches + "; rows keep matching, so it would never end");
                }
                if (batches - reportedBatches >= settings.progressEveryBatches()
                        || System.nanoTime() - reportedAt >= settings.progressEveryMillis() * 1_000_000) {
                    progress.report(version, batches, changed, matched, false);
                    reportedAt = System.nanoTime();
                    reportedBatches = batches;
                }
                pause(settings.pauseMillis());
            }
        } finally {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            connection.setAutoCommit(autoCommit);
        }
    }

    private static long matched(Connection connection, String table, String where) throws SQLException {
        try (Statement count = connection.createStatement();
             ResultSet rs = count.executeQuery("SELECT count(*) FROM " + table + " WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One batch in its own transaction; a lock timeout rolls it back and tries it again after a backoff. */
    private static long[] batchWithRetries(Connection connection, String version, String batch, Settings settings)
            throws SQLException {
        long backoff = settings.backoffMillis();
        for (int attempt = 1; ; attempt++) {
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(batch)) {
                rs.next();
                long[] counts = {rs.getLong(1), rs.getLong(2)};
                if (counts[1] > 0) {
                    connection.rollback();
                    throw new Failure("backfill " + version + " stopped: " + counts[1] + " of the " + counts[0]
                            + " rows a batch changed still match its WHERE, so it would change them again without end;"
                            + " write a WHERE that the SET makes false (e.g. col IS NULL); the batch was rolled back");
                }
                connection.commit();
                return counts;
            } catch (SQLException e) {
                connection.rollback();
                if (!FlywayRunner.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    throw e;
                }
                if (attempt >= settings.lockAttempts()) {
                    throw new Failure("backfill " + version + " gave up after " + attempt + " tries of one batch: each"
                            + " timed out waiting for a row lock held by another session; the batches before it stay done");
                }
                long wait = backoff + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
                LOG.infof("backfill %s: lock timeout on try %d of a batch; trying again in %d ms", version, attempt, wait);
                pause(wait);
                backoff = Math.min(backoff * 2, settings.maxBackoffMillis());
            }
        }
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted between two batches");
        }
    }
}
