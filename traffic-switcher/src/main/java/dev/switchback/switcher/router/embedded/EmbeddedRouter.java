package dev.switchback.switcher.router.embedded;

import dev.switchback.events.RouterSpec;
import dev.switchback.switcher.config.SwitcherConfig;
import dev.switchback.switcher.router.Endpoints;
import dev.switchback.switcher.router.EndpointStats;
import dev.switchback.switcher.router.LatencyHistogram;
import dev.switchback.switcher.router.Router;
import dev.switchback.switcher.router.RouterCounters;
import dev.switchback.switcher.router.Verification;
import dev.switchback.switcher.router.Weights;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The default router: a Vert.x reverse proxy per route inside the switcher. The weights are one immutable table
 * behind an atomic reference, so a switch is a single swap: each request goes wholly to the endpoint picked when it
 * arrived, and requests under way finish where they started, so a switch shows at once: {@link #verifyWeights}
 * never answers "not yet". Every request is counted and timed per endpoint.
 */
@ApplicationScoped
public class EmbeddedRouter implements Router, RouterCounters {

    private static final Logger LOG = Logger.getLogger(EmbeddedRouter.class);

    /** One served port: the deployment of its proxies, its weights and the counters per endpoint. */
    private record Served(String deployment, AtomicReference<WeightTable> table, Map<String, LatencyHistogram> stats,
                          RouterMeters meters) {
    }

    private final Vertx vertx;
    private final SwitcherConfig config;
    private final Map<String, Served> routes = new ConcurrentHashMap<>();

    private final MeterRegistry registry;

    @Inject
    public EmbeddedRouter(Vertx vertx, SwitcherConfig config, MeterRegistry registry) {
        this.vertx = vertx;
        this.config = config;
        this.registry = registry;
    }

    /** A router whose counters reach no Prometheus registry, for tests of the router alone. */
    public EmbeddedRouter(Vertx vertx, SwitcherConfig config) {
        this(vertx, config, new SimpleMeterRegistry());
    }

    @Override
    public String name() {
        return "embedded";
    }

    /** Listens on the route's port ({@code settings.port()}); the embedded router has no settings of its own. */
    @Override
    public synchronized void ensureRoute(String route, RouterSpec settings) {
        if (routes.containsKey(route)) {
            return;
        }
        int port = settings.port();
        AtomicReference<WeightTable> table = new AtomicReference<>(WeightTable.EMPTY);
        Map<String, LatencyHistogram> stats = new ConcurrentHashMap<>();
        int instances = Runtime.getRuntime().availableProcessors();
        String deployment;
        try {
            deployment = vertx.deployVerticle(() -> new RouteProxy(route, port, config.bindHost(), config.readTimeout(), table, stats),
                            new DeploymentOptions().setInstances(instances))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("router of " + route + " cannot listen on " + config.bindHost() + ":" + port
                    + ": " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        }
        routes.put(route, new Served(deployment, table, stats, new RouterMeters(registry, route, stats)));
        LOG.infof("router of %s listens on %s:%d", route, config.bindHost(), port);
    }


    @Override
    public void setWeights(String route, Map<String, Integer> weights) {
        setWeights(route, weights, null);
    }

    /** One swap of the table: weights and fallback change together, for the next request. */
    @Override
    public void setWeights(String route, Map<String, Integer> weights, String fallback) {
        Served served = routes.get(route);
        if (served == null) {
            throw new IllegalStateException("router of " + route + " does not exist: ensure it first");
        }
        Map<String, Integer> positive = Weights.checked(route, weights);
        Endpoints.check(positive, fallback);
        served.meters().weightsSet(positive);
        WeightTable previous = served.table().getAndSet(WeightTable.of(positive, fallback));
        LOG.infof("router of %s: %s -> %s%s", route, previous.weights(), positive,
                fallback == null ? "" : ", failed idempotent requests once more to " + fallback);
    }

    @Override
    public Map<String, Integer> weights(String route) {
        Served served = routes.get(route);
        return served == null ? Map.of() : served.table().get().weights();
    }

    /** The table is swapped atomically, so what it holds is what new requests get: YES or NO, never "not yet". */
    @Override
    public Verification verifyWeights(String route, Map<String, Integer> expected) {
        return Verification.compare(route, weights(route), expected);
    }

    @Override
    public synchronized void removeRoute(String route) {
        Served served = routes.remove(route);
        if (served != null) {
            served.meters().close();
            try {
                vertx.undeploy(served.deployment()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("router of " + route + " did not stop listening: " + e.getMessage(), e);
            }
            LOG.infof("router of %s removed", route);
        }
    }

    @Override
    public Set<String> routes() {
        return Set.copyOf(routes.keySet());
    }

    @Override
    public Map<String, EndpointStats> stats(String route) {
        Served served = routes.get(route);
        if (served == null) {
            return Map.of();
        }
        Map<String, EndpointStats> snapshot = new LinkedHashMap<>();
        served.stats().forEach((endpoint, histogram) -> snapshot.put(endpoint, histogram.snapshot()));
        return snapshot;
    }

    void stop(@Observes ShutdownEvent shutdown) {
        routes.values().forEach(served -> vertx.undeploy(served.deployment()));
    }
}
