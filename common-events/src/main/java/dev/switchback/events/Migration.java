package dev.switchback.events;

/**
 * One versioned SQL change to a service's target database, carried by the release that applies it.
 *
 * @param version     version in Flyway's sense ("2", "2.1"); ordered, applied once
 * @param description short human description, becomes part of the Flyway script name
 * @param sql         the statements to run
 * @param kind        {@code schema} (default when null) or {@code backfill}: a change to existing rows, run by the
 *                    migrator in batches, each its own transaction
 * @param batchSize   rows per batch of a backfill; null for the migrator's default
 * @param pauseMillis pause between two batches of a backfill; null for the migrator's default
 */
public record Migration(String version, String description, String sql, String kind, Integer batchSize,
                        Integer pauseMillis) {

    /** SCHEMA: the default kind, a schema change run as one script. */
    public static final String SCHEMA = "schema";
    /** BACKFILL: a change to existing rows, run in batches. */
    public static final String BACKFILL = "backfill";

    /** A schema migration. */
    public Migration(String version, String description, String sql) {
        this(version, description, sql, null, null, null);
    }

    /** Whether this migration is a backfill. */
    public boolean backfill() {
        return BACKFILL.equals(kind);
    }
}
