package dev.switchback.events;

/**
 * A release leaves the queue; the pipeline starts with its migrations.
 *
 * @param release which release this is about
 * @param spec what the release asks for
 */
public record ReleaseStarted(ReleaseRef release, ReleaseSpec spec) implements SwitchbackEvent {
}
