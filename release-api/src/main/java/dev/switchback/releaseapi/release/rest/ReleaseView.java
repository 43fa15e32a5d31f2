package dev.switchback.releaseapi.release.rest;

import dev.switchback.events.EventCodec;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.UnsafeOverride;
import dev.switchback.releaseapi.release.Condition;
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
 * @param requestedBy the token subject that submitted it
 * @param approval    why it needed approval and who decided; null when it needed none
 * @param fix         why it is a fix release, which goes on past an unhealthy blue; null for an ordinary release
 * @param allowUnsafe the lint rules it overrides, with their reasons; empty for none
 * @param conditions  facts about it beyond its phase, as stored: {@code AwaitingApproval}, {@code Baking}, {@code Promoted}
 * @param steps       its history
 * @param commitTime  when the change it ships was committed, as its request said; null when it did not say
 */
public record ReleaseView(UUID id, String service, String environment, String version, Phase phase, String reason,
                          String endpoint, Instant requestedAt, Instant updatedAt, Instant liveAt, Instant promotedAt,
                          String requestedBy, Approval approval, String fix, List<UnsafeOverride> allowUnsafe,
                          List<Condition> conditions, List<Step> steps, Instant commitTime) {

    /**
     * The four-eyes decision on a release that needed one.
     *
     * @param reason    why it needed approval
     * @param decision  {@code pending}, {@code approved}, {@code rejected}, {@code expired} or {@code withdrawn}
     * @param decidedBy the approver's token subject
     * @param comment   what the approver said
     * @param decidedAt when
     */
    public record Approval(String reason, String decision, String decidedBy, String comment, Instant decidedAt) {
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
        ReleaseSpec spec = EventCodec.fromJson(release.spec, ReleaseSpec.class);
        return new ReleaseView(release.id, release.service, release.environment, release.version, release.phase,
                release.reason, release.endpoint, release.requestedAt, release.updatedAt, release.liveAt,
                release.promotedAt, release.requestedBy, approval(release), spec.fix(), spec.allowUnsafeOrEmpty(),
                release.conditions,
                steps.stream().map(s -> new Step(s.phase, s.eventType, s.reason, s.at)).toList(), release.commitTime);
    }

    private static Approval approval(Release release) {
        if (release.approvalReason == null) {
            return null;
        }
        return new Approval(release.approvalReason, release.approvalDecision.value(), release.approvedBy,
                release.approvalComment, release.decidedAt);
    }
}
