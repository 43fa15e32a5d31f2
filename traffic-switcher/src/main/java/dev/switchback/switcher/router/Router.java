package dev.switchback.switcher.router;

import java.util.Optional;

/**
 * What sends users' requests to a color. One implementation per router ({@code embedded} now; {@code nginx} and
 * {@code kubernetes} later); the switcher talks only to this interface.
 */
public interface Router {

    /** The name a service spec selects the router by. */
    String name();

    /** Starts serving a route's port, with no upstream until {@link #route} gives it one; opening twice is fine. */
    void open(String route, int port);

    /** Sends every new request of the route to the endpoint, atomically; requests under way complete where they are. */
    void route(String route, String endpoint);

    /** Where the route sends traffic now, as the router itself reports it: how a switch is verified. */
    Optional<String> current(String route);
}
