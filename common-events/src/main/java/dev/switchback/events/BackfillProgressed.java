package dev.switchback.events;

/**
 * How far a backfill migration has come: sent every few batches or seconds while it runs, and once when it ends, never
 * per row. Each batch is its own committed transaction, so what it reports stays done whatever happens next.
 *
 * @param release          which release this is about
 * @param migrationVersion the backfill migration's version
 * @param batches          batches committed so far by this run
 * @param rows             rows changed so far by this run
 * @param matchedAtStart   rows its WHERE matched when this run began
 * @param done             whether the backfill is finished (its last batch changed no row)
 */
public record BackfillProgressed(ReleaseRef release, String migrationVersion, long batches, long rows,
                                 long matchedAtStart, boolean done) implements SwitchbackEvent {
}
