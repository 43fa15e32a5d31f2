package dev.switchback.releaseapi.release.service;

import dev.switchback.audit.AuditLog;
import dev.switchback.events.ApprovalRejected;
import dev.switchback.events.ApprovalRequested;
import dev.switchback.events.EventCodec;
import dev.switchback.events.ReleaseApproved;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.UnsafeOverride;
import dev.switchback.releaseapi.config.ReleaseConfig;
import dev.switchback.releaseapi.release.ApprovalDecision;
import dev.switchback.releaseapi.release.Condition;
import dev.switchback.releaseapi.release.Lifecycle;
import dev.switchback.releaseapi.release.Phase;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.Trigger;
import dev.switchback.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Four eyes: releases to protected environments, contract releases and releases that override the lint wait outside
 * the queue until an approver who is not their requester decides, once; an undecided one is cancelled when its
 * approval expires.
 */
@ApplicationScoped
public class Approvals {

    private final ReleaseTransitions transitions;
    private final ReleaseQueue queue;
    private final AuditLog audit;
    private final ReleaseConfig config;
    private final Clock clock;

    public Approvals(ReleaseTransitions transitions, ReleaseQueue queue, AuditLog audit, ReleaseConfig config, Clock clock) {
        this.transitions = transitions;
        this.queue = queue;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Why a release needs a second person's approval, or null when it does not. Overriding the lint needs one in every
     * environment: the reasons are the requester's word, and a second person must take it.
     */
    public String reasonFor(String environment, boolean contractRelease, List<UnsafeOverride> overrides) {
        boolean protectedEnvironment = config.approval().environments().contains(environment);
        if (!overrides.isEmpty()) {
            return "it " + describe(overrides) + (protectedEnvironment ? ", and " + environment
                    + " is a protected environment" : "");
        }
        if (protectedEnvironment) {
            return environment + " is a protected environment";
        }
        if (contractRelease) {
            return "it applies contract migrations, which remove what older versions may still use";
        }
        return null;
    }

    /** The overrides in words, for the approval's reason, the history and the audit trail. */
    public static String describe(List<UnsafeOverride> overrides) {
        return "overrides lint rule(s) " + overrides.stream().map(o -> o.rule() + " (" + o.reason() + ")")
                .collect(Collectors.joining(", "));
    }

    /** Records that a new release, created AWAITING_APPROVAL, waits for a decision until it expires. */
    void request(Release release, Instant now) {
        Instant expiresAt = now.plus(config.approval().expiresAfter());
        release.approvalDecision = ApprovalDecision.PENDING;
        release.setCondition(Condition.AWAITING_APPROVAL, true, "ApprovalRequired", release.approvalReason, now);
        transitions.fire(release, Trigger.AWAIT_APPROVAL, release.approvalReason + "; expires at " + expiresAt, now);
        transitions.publish(new ApprovalRequested(ReleaseTransitions.ref(release), release.requestedBy,
                release.approvalReason, expiresAt));
    }

    /** Approves a release awaiting approval: it joins the queue. The approver must not be its requester. */
    @Transactional
    public Release approve(UUID id, String approver, String comment) {
        Release release = awaitingDecision(id, "approve");
        if (approver.equals(release.requestedBy)) {
            throw ProblemException.forbidden("release " + id + " was requested by " + approver
                    + "; another approver must approve it");
        }
        Instant now = clock.instant();
        decide(release, ApprovalDecision.APPROVED, approver, comment, now);
        List<UnsafeOverride> overrides = EventCodec.fromJson(release.spec, ReleaseSpec.class).allowUnsafeOrEmpty();
        audit.append("release.approve", release.service, release.environment, release.id,
                "approved" + (overrides.isEmpty() ? "" : ", requested by " + release.requestedBy + ", which "
                        + describe(overrides)) + (comment == null ? "" : ": " + comment));
        transitions.publish(new ReleaseApproved(ReleaseTransitions.ref(release), release.requestedBy, approver, comment));
        queue.admit(release, Trigger.APPROVE, "approved by " + approver + (comment == null ? "" : ": " + comment), now);
        return release;
    }

    /** Rejects a release awaiting approval: it is cancelled and never runs. */
    @Transactional
    public Release reject(UUID id, String approver, String comment) {
        Release release = awaitingDecision(id, "reject");
        Instant now = clock.instant();
        decide(release, ApprovalDecision.REJECTED, approver, comment, now);
        String reason = "rejected by " + approver + (comment == null ? "" : ": " + comment);
        audit.append("release.reject-approval", release.service, release.environment, release.id, reason);
        transitions.publish(new ApprovalRejected(ReleaseTransitions.ref(release), release.requestedBy, approver, comment));
        transitions.cancel(release, Trigger.REJECT, reason, now);
        return release;
    }

    /** Cancels the releases whose approval expired before anyone decided, each decided on its row read under lock. */
    @Transactional
    public int expire() {
        Instant now = clock.instant();
        int expired = 0;
        for (Release candidate : Release.<Release>list("phase", Phase.AWAITING_APPROVAL)) {
            if (!expired(candidate, now)) {
                continue;
            }
            Release release = transitions.lock(candidate.id);
            if (release.phase != Phase.AWAITING_APPROVAL || !expired(release, now)) {
                continue;
            }
            if (transitions.cancel(release, Trigger.CANCEL,
                    "approval expired: nobody approved it within " + config.approval().expiresAfter(), now)) {
                settleUndecided(release, ApprovalDecision.EXPIRED, now);
                expired++;
            }
        }
        return expired;
    }

    /**
     * Ends the approval of a release cancelled before anyone decided (expired, aborted, or its code release ended): the
     * decision and the condition say so. Nothing changes for a release whose approval was decided already.
     */
    static void settleUndecided(Release release, ApprovalDecision decision, Instant at) {
        if (release.approvalDecision != ApprovalDecision.PENDING) {
            return;
        }
        release.approvalDecision = decision;
        release.setCondition(Condition.AWAITING_APPROVAL, false, capitalized(decision), release.reason, at);
    }

    private static void decide(Release release, ApprovalDecision decision, String approver, String comment, Instant at) {
        release.approvalDecision = decision;
        release.approvedBy = approver;
        release.approvalComment = comment;
        release.decidedAt = at;
        release.setCondition(Condition.AWAITING_APPROVAL, false, capitalized(decision),
                decision.value() + " by " + approver + (comment == null ? "" : ": " + comment), at);
    }

    private static String capitalized(ApprovalDecision decision) {
        String name = decision.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** The release read under its lock, once it is sure a decision may be taken on it now: 409 otherwise. */
    private Release awaitingDecision(UUID id, String verb) {
        Release release = transitions.lock(id);
        Trigger trigger = verb.equals("approve") ? Trigger.APPROVE : Trigger.REJECT;
        if (!Lifecycle.allows(release.phase, trigger)) {
            throw ProblemException.conflict("release " + id + " is " + release.phase + "; only a release awaiting approval"
                    + " can be " + verb + "d" + (release.approvedBy == null ? "" : " (" + release.approvalDecision.value()
                    + " by " + release.approvedBy + " at " + release.decidedAt + ")"));
        }
        if (expired(release, clock.instant())) {
            throw ProblemException.conflict("the approval of release " + id + " expired at "
                    + release.requestedAt.plus(config.approval().expiresAfter()) + "; submit it again");
        }
        return release;
    }

    private boolean expired(Release release, Instant now) {
        return !release.requestedAt.plus(config.approval().expiresAfter()).isAfter(now);
    }
}
