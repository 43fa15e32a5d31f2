package dev.switchback.events;

/**
 * Green passed its health check and may take traffic.
 *
 * @param release which release this is about
 * @param spec what the release asks for, so the switcher knows the router
 * @param instanceId id of the green instance
 * @param endpoint address of green
 */
public record GreenReady(ReleaseRef release, ReleaseSpec spec, String instanceId, String endpoint) implements SwitchbackEvent {
}
