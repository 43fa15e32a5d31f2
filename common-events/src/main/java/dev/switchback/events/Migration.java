package dev.switchback.events;

/**
 * One versioned SQL change to a service's target database, carried by the release that applies it.
 *
 * @param version     version in Flyway's sense ("2", "2.1"); ordered, applied once
 * @param description short human description, becomes part of the Flyway script name
 * @param sql         the statements to run
 */
public record Migration(String version, String description, String sql) {
}
