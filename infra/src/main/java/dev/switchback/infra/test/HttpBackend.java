package dev.switchback.infra.test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real HTTP backend for every module's tests, in the test's JVM on a free loopback port: {@code /health} answers
 * {@link #health}, {@code /fail} a 500, {@code /slow} its version after {@link #SLOW_MILLIS}, {@code /echo} the Host
 * it was sent and the request's body, and any other path its version with {@link #status} after {@link #delayMillis}.
 * It counts and records the requests it received, so a test can tell what was called.
 */
public final class HttpBackend implements AutoCloseable {

    /** SLOW_MILLIS: how long {@code /slow} takes. */
    public static final int SLOW_MILLIS = 300;

    /** health: the status {@code /health} answers; 200 until a test sets another (it may be shared by backends). */
    public final AtomicInteger health;
    /** status: the status every other path (but {@code /fail}, {@code /echo}) answers; 200 until set. */
    public final AtomicInteger status = new AtomicInteger(200);
    /** delayMillis: how long those answers take; 0 until set. */
    public final AtomicInteger delayMillis = new AtomicInteger(0);

    private final String version;
    private final HttpServer server;
    private final ExecutorService workers;
    private final List<String> paths = new CopyOnWriteArrayList<>();

    private HttpBackend(String version, AtomicInteger health) throws IOException {
        this.version = version;
        this.health = health;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        this.workers = Executors.newFixedThreadPool(16);
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a backend answering {@code version}, healthy. */
    public static HttpBackend start(String version) {
        return start(version, new AtomicInteger(200));
    }

    /** Starts a backend answering {@code version}, whose health answers the status the test keeps in {@code health}. */
    public static HttpBackend start(String version, AtomicInteger health) {
        try {
            return new HttpBackend(version, health);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String version() {
        return version;
    }

    /** The base URL a router or a health check is given, without a trailing slash. */
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    public URI uri() {
        return URI.create(endpoint());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Requests received so far, whatever they asked. */
    public long received() {
        return paths.size();
    }

    /** The paths of the requests received so far, in the order they came. */
    public List<String> paths() {
        return List.copyOf(paths);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        paths.add(path);
        byte[] request = exchange.getRequestBody().readAllBytes();
        if (path.equals("/echo")) {
            byte[] echo = (exchange.getRequestHeaders().getFirst("Host") + " " + new String(request, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(echo);
            exchange.close();
            return;
        }
        if (path.equals("/health")) {
            exchange.sendResponseHeaders(health.get(), -1);
            exchange.close();
            return;
        }
        int answer = path.equals("/fail") ? 500 : status.get();
        sleep(path.equals("/slow") ? SLOW_MILLIS : delayMillis.get());
        byte[] body = version.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(answer, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void sleep(int millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
