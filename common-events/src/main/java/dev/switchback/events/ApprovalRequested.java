package dev.switchback.events;

import java.time.Instant;

/**
 * A release waits for an approver who is not its requester: its environment is protected, or it changes the schema
 * with contract statements.
 *
 * @param release     which release this is about
 * @param requestedBy the token subject that submitted it
 * @param reason      why it needs approval
 * @param expiresAt   when it is cancelled if nobody has decided
 */
public record ApprovalRequested(ReleaseRef release, String requestedBy, String reason, Instant expiresAt)
        implements SwitchbackEvent {
}
