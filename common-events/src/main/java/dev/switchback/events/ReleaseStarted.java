package dev.switchback.events;

/**
 * A release leaves the queue; the pipeline starts with its migrations.
 *
 * @param release which release this is about
 * @param spec what the release asks for
 * @param requestedBy the token subject that submitted it (added in 0.2; absent from earlier events)
 * @param approvedBy the token subject that approved it; absent when it needed no approval
 */
public record ReleaseStarted(ReleaseRef release, ReleaseSpec spec, String requestedBy, String approvedBy)
        implements SwitchbackEvent {

    public ReleaseStarted(ReleaseRef release, ReleaseSpec spec) {
        this(release, spec, null, null);
    }
}
