package dev.switchback.events;

/**
 * What sends users' requests to a color.
 *
 * @param driver router driver: {@code embedded} (default)
 * @param port   port users call; the router forwards to the live color
 */
public record RouterSpec(String driver, int port) {
}
