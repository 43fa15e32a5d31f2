package dev.switchback.switcher.router;

import java.util.Map;
import java.util.Optional;

/**
 * What sends users' requests to a color. One implementation per router, one package per provider
 * ({@code embedded}, {@code nginx}; {@code kubernetes} fits the same shape); the switcher talks only to this interface.
 * Endpoints are base URLs such as {@code http://127.0.0.1:9101}; a route is named {@code service/environment}.
 */
public interface Router {

    /** The name a service spec selects the router by. */
    String name();

    /** Starts serving a route's port, with no upstream until {@link #setWeights} gives it one; opening twice is fine. */
    void open(String route, int port);

    /**
     * Sends each new request of the route to one of the endpoints, chosen in proportion to its weight (weights are
     * positive and sum to 100). The change is atomic for new requests; requests under way complete where they are.
     */
    void setWeights(String route, Map<String, Integer> weights);

    /**
     * The weights the router serves now, as the router itself reports them (not as last asked): how a switch is
     * verified. Empty when the route is not open or has no upstream.
     */
    Map<String, Integer> weights(String route);

    /**
     * Counters per endpoint since the route was opened, where the router can measure them; empty when it cannot.
     * Analysis subtracts two readings to get one interval.
     */
    Optional<Map<String, EndpointStats>> stats(String route);

    /** Sends all new requests of the route to one endpoint. */
    default void route(String route, String endpoint) {
        setWeights(route, Map.of(endpoint, 100));
    }

    /** The endpoint taking all traffic, if one does. */
    default Optional<String> current(String route) {
        Map<String, Integer> weights = weights(route);
        return weights.size() == 1 ? Optional.of(weights.keySet().iterator().next()) : Optional.empty();
    }
}
