package dev.switchback.switcher.router;

import dev.switchback.events.RouterSpec;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What sends users' requests to a color, shaped like argo-rollouts' traffic routing plugins: one implementation per
 * provider, each in its own package ({@code embedded}, {@code nginx}). A route is addressed by its name,
 * {@code <service>.<environment>}, never by a local port: the port is one of the route's settings, which a provider
 * reads or ignores (a router on a cluster would read its own from the settings). A provider whose changes settle
 * eventually fits as it is:
 * {@link #setWeights} only asks, {@link #verifyWeights} answers "not yet" until the change shows. Counting requests is
 * not part of a router: analysis reads a {@link dev.switchback.switcher.metrics.MetricsSource}.
 * Endpoints are base URLs such as {@code http://127.0.0.1:9101}.
 */
public interface Router {

    /** The name a service spec selects the router by. */
    String name();

    /**
     * Makes the route exist and serve, with no upstream until {@link #setWeights} gives it one (requests get 503);
     * a route that exists already, here or left by a previous switcher, is kept as it is. Ensuring twice is fine.
     *
     * @param route    the route's name
     * @param settings the route's router spec: its port and the driver's own settings
     */
    void ensureRoute(String route, RouterSpec settings);

    /**
     * Asks the router to send each new request of the route to one of the endpoints, in proportion to its weight
     * (weights are positive and sum to 100); requests under way complete where they are. It may return before the
     * change shows: {@link #verifyWeights} says when it does. Throws when the change cannot be made at all.
     */
    void setWeights(String route, Map<String, Integer> weights);

    /**
     * {@link #setWeights(String, Map)}, and while {@code fallback} is not null (blue, warm during green's bake) a
     * request the endpoint it went to failed (an answer of 5xx, or none) is sent once more to the fallback, when it
     * is safe to send twice: an idempotent method (RFC 9110 §9.2.2; nginx sends any but POST, PATCH and LOCK again,
     * the embedded router those with no body). The first attempt still counts for its endpoint, so analysis sees
     * green's failure while the user gets blue's answer. A router that cannot retry (a cluster's Service) only sets
     * the weights; null clears the fallback.
     */
    default void setWeights(String route, Map<String, Integer> weights, String fallback) {
        setWeights(route, weights);
    }

    /** Whether the router serves exactly these weights now, as the router itself reports it (not as last asked). */
    Verification verifyWeights(String route, Map<String, Integer> expected);

    /** The weights the router serves now, as it reports them; empty when the route does not exist or has no upstream. */
    Map<String, Integer> weights(String route);

    /** Stops serving the route and forgets it; removing a route that does not exist is fine. */
    void removeRoute(String route);

    /** The routes this router serves now, by name. */
    Set<String> routes();

    /** Asks the router to send all new requests of the route to one endpoint. */
    default void route(String route, String endpoint) {
        setWeights(route, Map.of(endpoint, 100));
    }

    /** The endpoint taking all traffic, if one does. */
    default Optional<String> current(String route) {
        Map<String, Integer> weights = weights(route);
        return weights.size() == 1 ? Optional.of(weights.keySet().iterator().next()) : Optional.empty();
    }
}
