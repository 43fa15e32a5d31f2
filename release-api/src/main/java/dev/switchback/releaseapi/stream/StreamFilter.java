package dev.switchback.releaseapi.stream;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Which events one client gets: its query's service, environment and release (each optional), within the
 * environments its token may see.
 *
 * @param service      only this service's events; null for all
 * @param environment  only this environment's; null for all
 * @param release      only this release's; null for all
 * @param environments the environments the token is limited to; empty when it is not limited
 */
public record StreamFilter(String service, String environment, UUID release, Optional<Set<String>> environments) {

    /** Whether the client gets the event. */
    public boolean matches(StreamEvent event) {
        return (service == null || service.equals(event.service()))
                && (environment == null || environment.equals(event.environment()))
                && (release == null || release.equals(event.releaseId()))
                && environments.map(allowed -> allowed.contains(event.environment())).orElse(true);
    }
}
