package dev.switchback.releaseapi.webhook;

import dev.switchback.events.ApprovalRequested;
import dev.switchback.events.ReleaseFailed;
import dev.switchback.events.ReleaseLive;
import dev.switchback.events.ReleasePromoted;
import dev.switchback.events.ReleaseRolledBack;
import dev.switchback.events.SwitchbackEvent;

import java.util.Arrays;
import java.util.Optional;

/** The release outcomes a webhook subscription may choose, each one release event of the contract. */
public enum WebhookEvent {
    /** FAILED: the release ended without going live ({@code release.failed}). */
    FAILED("failed"),
    /** ROLLED_BACK: traffic is back on blue ({@code release.rolled-back}). */
    ROLLED_BACK("rolled-back"),
    /** AWAITING_APPROVAL: the release waits for an approver ({@code release.approval-requested}). */
    AWAITING_APPROVAL("awaiting-approval"),
    /** LIVE: green takes all traffic ({@code release.live}). */
    LIVE("live"),
    /** PROMOTED: the bake ended well and blue is retired ({@code release.promoted}). */
    PROMOTED("promoted");

    /** wire: the name given in a subscription and sent in the {@code X-Switchback-Event} header. */
    private final String wire;

    WebhookEvent(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The outcome an event is, or empty for the events no subscription can choose. */
    public static Optional<WebhookEvent> of(SwitchbackEvent event) {
        WebhookEvent kind = null;
        if (event instanceof ReleaseFailed) {
            kind = FAILED;
        } else if (event instanceof ReleaseRolledBack) {
            kind = ROLLED_BACK;
        } else if (event instanceof ApprovalRequested) {
            kind = AWAITING_APPROVAL;
        } else if (event instanceof ReleaseLive) {
            kind = LIVE;
        } else if (event instanceof ReleasePromoted) {
            kind = PROMOTED;
        }
        return Optional.ofNullable(kind);
    }

    /** The outcome of a wire name, or empty when there is none of that name. */
    public static Optional<WebhookEvent> named(String wire) {
        return Arrays.stream(values()).filter(value -> value.wire.equals(wire)).findFirst();
    }
}
