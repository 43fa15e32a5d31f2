package dev.switchback.events;

/**
 * A release was accepted and recorded.
 *
 * @param release which release this is about
 * @param spec what the release asks for, with its service spec snapshot
 * @param requestedBy the token subject that submitted it (added in 0.2; absent from earlier events)
 */
public record ReleaseRequested(ReleaseRef release, ReleaseSpec spec, String requestedBy) implements SwitchbackEvent {

    public ReleaseRequested(ReleaseRef release, ReleaseSpec spec) {
        this(release, spec, null);
    }
}
