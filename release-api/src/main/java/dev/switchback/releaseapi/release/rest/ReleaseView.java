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
 * @param requestedBy the token subject that submitted it
 * @param approval    why it needed approval and who decided; null when it needed none
 * @param conditions  facts about it beyond its phase: {@code AwaitingApproval}, {@code Baking}, {@code Promoted}
 * @param steps       its history
 */
public record ReleaseView(UUID id, String service, String environment, String version, Phase phase, String reason,
                          String endpoint, Instant requestedAt, Instant updatedAt, Instant liveAt, Instant promotedAt,
                          String requestedBy, Approval approval, List<Condition> conditions, List<Step> steps) {

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
                release.promotedAt, release.requestedBy, approval(release), conditions(release),
                steps.stream().map(s -> new Step(s.phase, s.eventType, s.reason, s.at)).toList());
    }

    private static Approval approval(Release release) {
        if (release.approvalReason == null) {
            return null;
        }
        String decision;
        if (release.phase == Phase.AWAITING_APPROVAL) {
            decision = "pending";
        } else if (release.decidedAt != null) {
            decision = release.phase == Phase.CANCELLED && release.reason != null && release.reason.startsWith("rejected by ")
                    ? "rejected" : "approved";
        } else {
            // Ended undecided: its approval expired, or it was aborted while it waited.
            decision = release.reason != null && release.reason.startsWith("approval expired") ? "expired" : "withdrawn";
        }
        return new Approval(release.approvalReason, decision, release.approvedBy, release.approvalComment,
                release.decidedAt);
    }

    /**
     * AwaitingApproval while a release needing approval waits, False once decided; Baking holds from cutover until the
     * bake ends; Promoted once it ended well.
     */
    static List<Condition> conditions(Release release) {
        List<Condition> conditions = new java.util.ArrayList<>();
        Approval approval = approval(release);
        if (approval != null) {
            conditions.add(approval.decision().equals("pending")
                    ? new Condition("AwaitingApproval", "True", "ApprovalRequired", approval.reason(), release.requestedAt)
                    : new Condition("AwaitingApproval", "False", switch (approval.decision()) {
                        case "approved" -> "Approved";
                        case "rejected" -> "Rejected";
                        case "expired" -> "Expired";
                        default -> "Withdrawn";
                    }, approval.decidedBy() == null ? release.reason : approval.decision() + " by " + approval.decidedBy()
                            + (approval.comment() == null ? "" : ": " + approval.comment()),
                    approval.decidedAt() == null ? release.updatedAt : approval.decidedAt()));
        }
        conditions.addAll(bake(release));
        return conditions;
    }

    private static List<Condition> bake(Release release) {
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
