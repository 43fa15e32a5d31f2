package dev.switchback.switcher.router.embedded;

import dev.switchback.events.RouterSpec;
import dev.switchback.switcher.config.SwitcherConfig;
import dev.switchback.switcher.router.EndpointStats;
import dev.switchback.switcher.router.LatencyHistogram;
import dev.switchback.switcher.router.Router;
import dev.switchback.switcher.router.RouterCounters;
import dev.switchback.switcher.router.Verification;
import dev.switchback.switcher.router.Weights;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
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

    /**
     * One proxy of a route on one event loop, with its own client. A route runs one per core on the same port: Vert.x
     * hands each new connection to the next, so the proxying does not queue on one thread. It forwards by hand rather
     * than through vertx-http-proxy, whose per-request date parsing and future chains cost about a third of the
     * throughput; the rules are the same: hop-by-hop headers stay on their hop, the body streams both ways, and an
     * endpoint that cannot be reached or answered gives 502.
     */
    private static final class Proxy extends AbstractVerticle {
        // RFC 9110 §7.6.1: meaningful for one connection only, never forwarded.
        private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
                "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");
        private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
                HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

        private final String route;
        private final int port;
        private final String host;
        private final AtomicReference<WeightTable> table;
        private final Map<String, LatencyHistogram> stats;
        private final Map<String, RequestOptions> origins = new HashMap<>();
        private HttpClient client;

        Proxy(String route, int port, String host, AtomicReference<WeightTable> table, Map<String, LatencyHistogram> stats) {
            this.route = route;
            this.port = port;
            this.host = host;
            this.table = table;
            this.stats = stats;
        }

        @Override
        public void start(Promise<Void> started) {
            client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64));
            vertx.createHttpServer().requestHandler(this::handle).listen(port, host)
                    .<Void>mapEmpty().onComplete(started);
        }

        private void handle(HttpServerRequest request) {
            WeightTable now = table.get();
            if (now.endpoints().length == 0) {
                request.response().setStatusCode(503).putHeader("Content-Type", "text/plain")
                        .end("no live version of " + route + " yet\n");
                return;
            }
            String endpoint = now.pick();
            String fallback = now.fallback();
            if (fallback != null && !fallback.equals(endpoint) && safeToSendTwice(request)) {
                tryFirst(request, endpoint, fallback);
                return;
            }
            measure(request, histogram(endpoint));
            forward(request, options(endpoint, request));
        }

        private LatencyHistogram histogram(String endpoint) {
            return stats.computeIfAbsent(endpoint, e -> new LatencyHistogram());
        }

        private RequestOptions options(String endpoint, HttpServerRequest request) {
            // Only this verticle's event loop touches its map.
            RequestOptions origin = origins.computeIfAbsent(endpoint, Proxy::origin);
            return new RequestOptions(origin).setMethod(request.method()).setURI(request.uri());
        }

        /** An idempotent method (RFC 9110 §9.2.2) with no body: nothing to buffer, and no harm done by a second send. */
        private static boolean safeToSendTwice(HttpServerRequest request) {
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            return IDEMPOTENT.contains(request.method()) && !request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
                    && (length == null || length.strip().equals("0"));
        }

        /**
         * Sends the request to its endpoint and, when that answers 5xx or not at all, once more to the fallback: the
         * failed attempt counts for its endpoint (so analysis sees it), the answer the user gets for the fallback.
         * An answer below 500 is passed on and counted as any other.
         */
        private void tryFirst(HttpServerRequest request, String endpoint, String fallback) {
            LatencyHistogram first = histogram(endpoint);
            long start = System.nanoTime();
            Runnable failed = () -> {
                first.record((System.nanoTime() - start) / 1000, true);
                retry(request, fallback);
            };
            // No body to hold back: the request is not paused.
            client.request(options(endpoint, request)).onComplete(created -> {
                if (created.failed()) {
                    failed.run();
                    return;
                }
                HttpClientRequest upstream = created.result();
                copy(request.headers(), upstream.headers());
                // The response's future fails too and is the one place that acts on a failure.
                upstream.exceptionHandler(failure -> {
                });
                upstream.response().onComplete(answered -> {
                    if (answered.failed()) {
                        failed.run();
                        return;
                    }
                    HttpClientResponse answer = answered.result();
                    if (answer.statusCode() >= 500) {
                        // Read to its end, so the connection goes back to the pool, then forgotten.
                        answer.body().onComplete(read -> failed.run());
                        return;
                    }
                    measure(request, first, start);
                    respond(request, answer);
                });
                upstream.end();
            });
        }

        private void retry(HttpServerRequest request, String fallback) {
            if (request.response().closed()) {
                return;
            }
            measure(request, histogram(fallback));
            forward(request, options(fallback, request));
        }

        private static RequestOptions origin(String endpoint) {
            URI uri = URI.create(endpoint);
            return new RequestOptions().setHost(uri.getHost()).setPort(uri.getPort() == -1 ? 80 : uri.getPort());
        }

        private void forward(HttpServerRequest request, RequestOptions options) {
            // Nothing of the body may be read before there is somewhere to send it; a request sent once more was read.
            boolean unread = !request.isEnded();
            if (unread) {
                request.pause();
            }
            client.request(options).onComplete(created -> {
                if (created.failed()) {
                    badGateway(request);
                    return;
                }
                HttpClientRequest upstream = created.result();
                // The client's Host goes on as it was, as nginx's proxy_set_header Host $http_host does.
                copy(request.headers(), upstream.headers());
                upstream.response().onComplete(answered -> {
                    if (answered.failed()) {
                        badGateway(request);
                        return;
                    }
                    respond(request, answered.result());
                });
                upstream.exceptionHandler(failure -> badGateway(request));
                if (unread && (request.headers().contains(HttpHeaders.CONTENT_LENGTH)
                        || request.headers().contains(HttpHeaders.TRANSFER_ENCODING))) {
                    upstream.setChunked(!request.headers().contains(HttpHeaders.CONTENT_LENGTH));
                    request.pipeTo(upstream);
                } else {
                    // No body, or none left: a request sent once more had none.
                    if (unread) {
                        request.resume();
                    }
                    upstream.end();
                }
            });
        }

        private static void respond(HttpServerRequest request, HttpClientResponse answer) {
            HttpServerResponse response = request.response().setStatusCode(answer.statusCode())
                    .setStatusMessage(answer.statusMessage());
            copy(answer.headers(), response.headers());
            int status = answer.statusCode();
            if (!answer.headers().contains(HttpHeaders.CONTENT_LENGTH) && request.method() != HttpMethod.HEAD
                    && status != 204 && status != 304 && status >= 200) {
                response.setChunked(true);
            }
            answer.pipeTo(response);
        }

        private static void copy(MultiMap from, MultiMap to) {
            for (Map.Entry<String, String> header : from) {
                if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                    to.add(header.getKey(), header.getValue());
                }
            }
        }

        private static void badGateway(HttpServerRequest request) {
            HttpServerResponse response = request.response();
            if (response.headWritten()) {
                // Half an answer cannot become a 502: cut it, and the client sees it failed.
                response.reset();
            } else if (!response.ended()) {
                response.setStatusCode(502).putHeader("Content-Type", "text/plain").end("bad gateway\n");
            }
        }
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
            deployment = vertx.deployVerticle(() -> new Proxy(route, port, config.bindHost(), table, stats),
                            new DeploymentOptions().setInstances(instances))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("router of " + route + " cannot listen on " + config.bindHost() + ":" + port
                    + ": " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        }
        routes.put(route, new Served(deployment, table, stats, new RouterMeters(registry, route, stats)));
        LOG.infof("router of %s listens on %s:%d", route, config.bindHost(), port);
    }

    /** Counts the request when its answer is complete; a connection closed before that counts as a failure. */
    private static void measure(HttpServerRequest request, LatencyHistogram histogram) {
        measure(request, histogram, System.nanoTime());
    }

    private static void measure(HttpServerRequest request, LatencyHistogram histogram, long start) {
        HttpServerResponse response = request.response();
        response.endHandler(done -> histogram.record((System.nanoTime() - start) / 1000, response.getStatusCode() >= 500));
        response.closeHandler(closed -> {
            if (!response.ended()) {
                histogram.record((System.nanoTime() - start) / 1000, true);
            }
        });
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
