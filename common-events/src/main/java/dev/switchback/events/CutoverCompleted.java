package dev.switchback.events;

/**
 * Green takes all traffic.
 *
 * @param release which release this is about
 * @param routerPort port of the router
 * @param fromEndpoint blue's address, null for a first release
 * @param toEndpoint green's address
 * @param route the route's name, {@code <service>.<environment>}; null from switchers that named the port only
 */
public record CutoverCompleted(ReleaseRef release, int routerPort, String fromEndpoint, String toEndpoint, String route)
        implements SwitchbackEvent {

    /** A cutover completed, named by the router's port only. */
    public CutoverCompleted(ReleaseRef release, int routerPort, String fromEndpoint, String toEndpoint) {
        this(release, routerPort, fromEndpoint, toEndpoint, null);
    }
}
