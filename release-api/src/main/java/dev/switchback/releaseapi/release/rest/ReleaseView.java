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
 * @param promotedAt  when its bake ended successfully and blue was retired
 * @param conditions  facts about it beyond its phase: {@code Baking}, {@code Promoted}
 * @param steps       its history
 */
public record ReleaseView(UUID id, String service, String environment, String version, Phase phase, String reason,
                          String endpoint, Instant requestedAt, Instant updatedAt, Instant liveAt, Instant promotedAt,
                          List<Condition> conditions, List<Step> steps) {

    /**
     * A fact about the release, in the shape Kubernetes-style controllers use.
     *
     * @param type               {@code Baking} or {@code Promoted}
     * @param status             {@code True} or {@code False}
     * @param reason             one CamelCase word for machines
     * @param message            a sentence for people
     * @param lastTransitionTime when the status last changed
     */
    public record Condition(String type, String status, String reason, String message, Instant lastTransitionTime) {
    }

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
                release.promotedAt, conditions(release),
                steps.stream().map(s -> new Step(s.phase, s.eventType, s.reason, s.at)).toList());
    }

    /** Baking holds from cutover until the bake ends; Promoted once it ended well. Nothing before cutover. */
    static List<Condition> conditions(Release release) {
        if (release.liveAt == null || release.schemaOnly) {
            return List.of();
        }
        if (release.promotedAt != null) {
            return List.of(new Condition("Baking", "False", "Promoted", "the bake ended; blue was retired",
                            release.promotedAt),
                    new Condition("Promoted", "True", "BakePassed", "green is the only version now", release.promotedAt));
        }
        if (release.phase == Phase.LIVE) {
            return List.of(new Condition("Baking", "True", "BakeInProgress", "green takes the traffic and is analysed;"
                    + " blue is kept warm", release.liveAt),
                    new Condition("Promoted", "False", "BakeInProgress", "not yet promoted", release.liveAt));
        }
        return List.of(new Condition("Baking", "False", release.phase == Phase.ROLLING_BACK ? "RollingBack" : "RolledBack",
                        release.reason == null ? "traffic went back to blue" : release.reason, release.updatedAt),
                new Condition("Promoted", "False", "RolledBack", "green was not promoted", release.updatedAt));
    }
}
