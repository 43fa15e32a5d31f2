package dev.switchback.releaseapi.release.rest;

import dev.switchback.releaseapi.release.Phase;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.ReleaseStep;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A release as CI sees it: what was asked and what happened, step by step.
 *
 * @param id          id of the release
 * @param service     service released
 * @param environment environment
 * @param version     version asked for
 * @param phase       where it stands
 * @param reason      why it failed, was rolled back or cancelled
 * @param endpoint    address of green once known
 * @param requestedAt when it was asked for
 * @param updatedAt   when its phase last changed
 * @param liveAt      when it went live
 * @param steps       its history
 */
public record ReleaseView(UUID id, String service, String environment, String version, Phase phase, String reason,
                          String endpoint, Instant requestedAt, Instant updatedAt, Instant liveAt, List<Step> steps) {

    /**
     * One step of the history.
     *
     * @param phase  phase after the step
     * @param event  the event type of the fact
     * @param reason details, if any
     * @param at     when it happened
     */
    public record Step(Phase phase, String event, String reason, Instant at) {
    }

    public static ReleaseView of(Release release, List<ReleaseStep> steps) {
        return new ReleaseView(release.id, release.service, release.environment, release.version, release.phase,
                release.reason, release.endpoint, release.requestedAt, release.updatedAt, release.liveAt,
                steps.stream().map(s -> new Step(s.phase, s.eventType, s.reason, s.at)).toList());
    }
}
