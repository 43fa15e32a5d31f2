package dev.switchback.switcher.router.fake;

import dev.switchback.events.RouterSpec;
import dev.switchback.switcher.router.Router;
import dev.switchback.switcher.router.Verification;
import dev.switchback.switcher.router.Weights;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A router shaped like a cluster's (a Kubernetes Service, a Gateway's HTTPRoute): it forwards nothing and counts
 * nothing, and weights asked for show only after a delay, as an object's status catches up with its spec. The delay
 * is the route's setting {@code settle-millis} ({@value #DEFAULT_SETTLE_MILLIS} ms when unset), or {@code never}.
 * Its routes live in a {@link Cluster}, which outlives the router: a new router on the same cluster is a restarted
 * switcher.
 */
@ApplicationScoped
public class FakeRouter implements Router {

    /** SETTLE: the route setting giving the delay in ms, or {@code never}. */
    public static final String SETTLE = "settle-millis";
    /** DEFAULT_SETTLE_MILLIS: the delay when the route does not set one. */
    public static final long DEFAULT_SETTLE_MILLIS = 200;

    /** What the fake cluster holds of one route: what was asked, since when, and what it serves. */
    static final class RouteState {
        final long settleNanos;
        Map<String, Integer> served = Map.of();
        Map<String, Integer> asked = Map.of();
        long askedAt;

        RouteState(long settleNanos) {
            this.settleNanos = settleNanos;
        }

        synchronized Map<String, Integer> served() {
            if (!asked.equals(served) && settleNanos >= 0 && System.nanoTime() - askedAt >= settleNanos) {
                served = asked;
            }
            return served;
        }
    }

    /** The routes as the fake cluster holds them: shared by the routers of one cluster. */
    public static final class Cluster {
        final Map<String, RouteState> routes = new ConcurrentHashMap<>();
    }

    private final Cluster cluster;

    public FakeRouter() {
        this(new Cluster());
    }

    public FakeRouter(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public void ensureRoute(String route, RouterSpec settings) {
        String settle = settings.settingsOrEmpty().getOrDefault(SETTLE, Long.toString(DEFAULT_SETTLE_MILLIS));
        long nanos = settle.equals("never") ? -1 : Long.parseLong(settle) * 1_000_000;
        cluster.routes.computeIfAbsent(route, name -> new RouteState(nanos));
    }

    @Override
    public void setWeights(String route, Map<String, Integer> weights) {
        RouteState state = state(route);
        Map<String, Integer> checked = Weights.checked(route, weights);
        synchronized (state) {
            state.served();
            state.asked = new LinkedHashMap<>(checked);
            state.askedAt = System.nanoTime();
        }
    }

    @Override
    public Verification verifyWeights(String route, Map<String, Integer> expected) {
        RouteState state = cluster.routes.get(route);
        if (state == null) {
            return Verification.no("route " + route + " does not exist");
        }
        synchronized (state) {
            Map<String, Integer> served = state.served();
            if (served.equals(expected)) {
                return Verification.yes();
            }
            if (state.asked.equals(expected)) {
                return Verification.notYet("the route still serves " + served + ", " + expected + " not settled yet");
            }
            return Verification.no("the route serves " + served + " and was asked for " + state.asked + ", not " + expected);
        }
    }

    @Override
    public Map<String, Integer> weights(String route) {
        RouteState state = cluster.routes.get(route);
        return state == null ? Map.of() : state.served();
    }

    @Override
    public void removeRoute(String route) {
        cluster.routes.remove(route);
    }

    @Override
    public Set<String> routes() {
        return Set.copyOf(cluster.routes.keySet());
    }

    private RouteState state(String route) {
        RouteState state = cluster.routes.get(route);
        if (state == null) {
            throw new IllegalStateException("route " + route + " does not exist: ensure it first");
        }
        return state;
    }
}
