package dev.switchback.events;

/**
 * An approver rejected a release that waited for approval; it is cancelled and never runs.
 *
 * @param release     which release this is about
 * @param requestedBy the token subject that submitted it
 * @param rejectedBy  the token subject that rejected it
 * @param comment     why it was rejected
 */
public record ApprovalRejected(ReleaseRef release, String requestedBy, String rejectedBy, String comment)
        implements SwitchbackEvent {
}
