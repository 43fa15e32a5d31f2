package dev.switchback.events;

import java.util.List;

/**
 * How the deployer decides an instance is healthy.
 *
 * @param path            HTTP path answering 2xx when healthy, e.g. {@code /health}
 * @param deadlineSeconds time an instance has to become healthy before it counts as failed
 * @param smokePaths      GET paths that must answer 2xx as well when a copy of the live version proves a contract
 *                        change (e.g. {@code /notes}); null or empty for the health path alone
 */
public record HealthSpec(String path, int deadlineSeconds, List<String> smokePaths) {

    /** Without smoke paths. */
    public HealthSpec(String path, int deadlineSeconds) {
        this(path, deadlineSeconds, null);
    }

    /** The smoke paths, empty when none were given. */
    public List<String> smokePathsOrEmpty() {
        return smokePaths == null ? List.of() : smokePaths;
    }
}
