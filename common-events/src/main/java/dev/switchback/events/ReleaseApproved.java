package dev.switchback.events;

/**
 * An approver approved a release that waited for approval; it joins the queue.
 *
 * @param release     which release this is about
 * @param requestedBy the token subject that submitted it
 * @param approvedBy  the token subject that approved it, never the requester
 * @param comment     what the approver said
 */
public record ReleaseApproved(ReleaseRef release, String requestedBy, String approvedBy, String comment)
        implements SwitchbackEvent {
}
