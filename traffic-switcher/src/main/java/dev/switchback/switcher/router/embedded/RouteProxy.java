package dev.switchback.switcher.router.embedded;

import dev.switchback.switcher.router.LatencyHistogram;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One proxy of a route on one event loop, with its own client. A route runs one per core on the same port: Vert.x
 * hands each new connection to the next, so the proxying does not queue on one thread. It forwards by hand rather
 * than through vertx-http-proxy, whose per-request date parsing and future chains cost about a third of the
 * throughput; the rules are the same: hop-by-hop headers stay on their hop, the body streams both ways, an
 * endpoint that cannot be reached or answered gives 502, and one that does not connect within 2 s or keeps the
 * answer waiting longer than the read timeout between two reads gives 504, as nginx's proxy timeouts do.
 */
final class RouteProxy extends AbstractVerticle {
    // RFC 9110 §7.6.1: meaningful for one connection only, never forwarded.
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");
    // nginx's proxy_connect_timeout in the router's nginx.conf: the two routers give up on an endpoint alike.
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

    private final String route;
    private final int port;
    private final String host;
    private final long readTimeoutMillis;
    private final AtomicReference<WeightTable> table;
    private final Map<String, LatencyHistogram> stats;
    private final Map<String, RequestOptions> origins = new HashMap<>();
    private HttpClient client;

    RouteProxy(String route, int port, String host, Duration readTimeout, AtomicReference<WeightTable> table,
               Map<String, LatencyHistogram> stats) {
        this.route = route;
        this.port = port;
        this.host = host;
        this.readTimeoutMillis = readTimeout.toMillis();
        this.table = table;
        this.stats = stats;
    }

    @Override
    public void start(Promise<Void> started) {
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64)
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS));
        // HTTP/1.1 only, as nginx's plain listener: no upgrade to cleartext HTTP/2 (deprecated by RFC 9113 §3.1), which
        // the proxying (HTTP/1.1 to the endpoints) never handled on purpose. An upgraded client sends everything on
        // one connection, so one stalled stream holds all its requests: ChaosIT's prober once timed out 4 times in a row.
        HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false);
        vertx.createHttpServer(options).requestHandler(this::handle).listen(port, host)
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
        RequestOptions origin = origins.computeIfAbsent(endpoint, RouteProxy::origin);
        return new RequestOptions(origin).setMethod(request.method()).setURI(request.uri())
                .setIdleTimeout(readTimeoutMillis);
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
                gatewayError(request, created.cause());
                return;
            }
            HttpClientRequest upstream = created.result();
            // The client's Host goes on as it was, as nginx's proxy_set_header Host $http_host does.
            copy(request.headers(), upstream.headers());
            upstream.response().onComplete(answered -> {
                if (answered.failed()) {
                    gatewayError(request, answered.cause());
                    return;
                }
                respond(request, answered.result());
            });
            upstream.exceptionHandler(failure -> gatewayError(request, failure));
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
        // Not ended on a failure: ending would pass an answer the endpoint broke off on as the whole answer (chunked:
        // the last chunk sent for it; with a length: the user left waiting for the rest). The connection is cut, so
        // the user sees it failed; the measure counts a response closed before its end as an error (reset() would
        // mark it ended, and nothing would count it).
        answer.pipe().endOnFailure(false).to(response).onFailure(broken -> request.connection().close());
    }

    private static void copy(MultiMap from, MultiMap to) {
        for (Map.Entry<String, String> header : from) {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                to.add(header.getKey(), header.getValue());
            }
        }
    }

    /** 504 when the endpoint took too long (to connect, or between two reads), 502 for any other failure. */
    private static void gatewayError(HttpServerRequest request, Throwable failure) {
        HttpServerResponse response = request.response();
        if (response.headWritten()) {
            // Half an answer cannot become a 502: cut it, and the client sees it failed.
            response.reset();
        } else if (!response.ended()) {
            boolean late = failure instanceof TimeoutException || failure instanceof ConnectTimeoutException;
            response.setStatusCode(late ? 504 : 502).putHeader("Content-Type", "text/plain")
                    .end(late ? "gateway timeout\n" : "bad gateway\n");
        }
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
}
