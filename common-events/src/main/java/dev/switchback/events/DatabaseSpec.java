package dev.switchback.events;

/**
 * The target database of a service: where its migrations run. Carries no secret, only where to find one.
 *
 * @param url         JDBC URL of the target database
 * @param username    user the migrator connects as
 * @param passwordEnv name of the environment variable holding the password in the db-migrator; null for none
 * @param lockTimeoutMillis how long a migration statement may wait for a lock; null for the db-migrator's default
 */
public record DatabaseSpec(String url, String username, String passwordEnv, Integer lockTimeoutMillis) {

    /** With the db-migrator's default lock timeout. */
    public DatabaseSpec(String url, String username, String passwordEnv) {
        this(url, username, passwordEnv, null);
    }
}
