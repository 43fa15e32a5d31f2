package dev.switchback.events;

/**
 * The target database of a service: where its migrations run. Carries no secret, only where to find one.
 *
 * @param url         JDBC URL of the target database
 * @param username    user the migrator connects as
 * @param passwordEnv name of the environment variable holding the password in the db-migrator; null for none
 */
public record DatabaseSpec(String url, String username, String passwordEnv) {
}
