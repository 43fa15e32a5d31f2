package dev.switchback.switcher.router.embedded;

import dev.switchback.switcher.config.SwitcherConfig;
import dev.switchback.switcher.router.Router;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.HttpProxy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The default router: a Vert.x reverse proxy per route inside the switcher. A cutover swaps one atomic reference,
 * so each request goes wholly to blue or wholly to green, and requests under way finish where they started.
 */
@ApplicationScoped
public class EmbeddedRouter implements Router {

    private static final Logger LOG = Logger.getLogger(EmbeddedRouter.class);

    /** One served port and where it sends traffic. */
    private record Served(HttpServer server, AtomicReference<String> endpoint) {
    }

    private final Vertx vertx;
    private final SwitcherConfig config;
    private final Map<String, Served> routes = new ConcurrentHashMap<>();
    private HttpClient client;

    public EmbeddedRouter(Vertx vertx, SwitcherConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public synchronized void open(String route, int port) {
        if (routes.containsKey(route)) {
            return;
        }
        if (client == null) {
            client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64));
        }
        AtomicReference<String> endpoint = new AtomicReference<>();
        HttpProxy proxy = HttpProxy.reverseProxy(client)
                .originSelector(request -> origin(endpoint.get()));
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            if (endpoint.get() == null) {
                request.response().setStatusCode(503).putHeader("Content-Type", "text/plain")
                        .end("no live version of " + route + " yet\n");
            } else {
                proxy.handle(request);
            }
        });
        try {
            server.listen(port, config.bindHost()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("router of " + route + " cannot listen on " + config.bindHost() + ":" + port
                    + ": " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        }
        routes.put(route, new Served(server, endpoint));
        LOG.infof("router of %s listens on %s:%d", route, config.bindHost(), port);
    }

    @Override
    public void route(String route, String endpoint) {
        Served served = routes.get(route);
        if (served == null) {
            throw new IllegalStateException("router of " + route + " is not open");
        }
        String previous = served.endpoint().getAndSet(endpoint);
        LOG.infof("router of %s: %s -> %s", route, previous, endpoint);
    }

    @Override
    public Optional<String> current(String route) {
        return Optional.ofNullable(routes.get(route)).map(served -> served.endpoint().get());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        routes.values().forEach(served -> served.server().close());
    }

    private static Future<SocketAddress> origin(String endpoint) {
        if (endpoint == null) {
            return Future.failedFuture("no live endpoint");
        }
        URI uri = URI.create(endpoint);
        return Future.succeededFuture(SocketAddress.inetSocketAddress(uri.getPort(), uri.getHost()));
    }
}
