package dev.switchback.events;

/**
 * How the deployer decides an instance is healthy.
 *
 * @param path            HTTP path answering 2xx when healthy, e.g. {@code /health}
 * @param deadlineSeconds time an instance has to become healthy before it counts as failed
 */
public record HealthSpec(String path, int deadlineSeconds) {
}
