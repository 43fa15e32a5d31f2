package dev.switchback.events;

/**
 * A release was accepted and recorded.
 *
 * @param release which release this is about
 * @param spec what the release asks for, with its service spec snapshot
 */
public record ReleaseRequested(ReleaseRef release, ReleaseSpec spec) implements SwitchbackEvent {
}
