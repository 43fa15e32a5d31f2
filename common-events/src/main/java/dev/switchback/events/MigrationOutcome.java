package dev.switchback.events;

/**
 * How one migration went.
 *
 * @param version        its version
 * @param description    its description
 * @param durationMillis how long it ran
 */
public record MigrationOutcome(String version, String description, long durationMillis) {
}
