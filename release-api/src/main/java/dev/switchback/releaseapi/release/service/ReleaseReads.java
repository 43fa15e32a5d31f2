package dev.switchback.releaseapi.release.service;

import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.ReleaseStep;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What the API shows of releases: one with its history, and a service's history in an environment. */
@ApplicationScoped
public class ReleaseReads {

    public Optional<Release> find(UUID id) {
        return Release.findByIdOptional(id);
    }

    public List<ReleaseStep> steps(UUID id) {
        return ReleaseStep.of(id);
    }

    public List<Release> history(String service, String environment) {
        return Release.history(service, environment);
    }
}
