package dev.switchback.events;

/**
 * Green takes all traffic.
 *
 * @param release which release this is about
 * @param routerPort port of the router
 * @param fromEndpoint blue's address, null for a first release
 * @param toEndpoint green's address
 */
public record CutoverCompleted(ReleaseRef release, int routerPort, String fromEndpoint, String toEndpoint) implements SwitchbackEvent {
}
