package dev.switchback.events;

/**
 * Green takes all traffic: the release is live.
 *
 * @param release which release this is about
 * @param endpoint address of the instance now serving
 */
public record ReleaseLive(ReleaseRef release, String endpoint) implements SwitchbackEvent {
}
