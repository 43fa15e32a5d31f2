package dev.switchback.switcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one real HTTP backend of the switcher's tests, in the test's JVM: {@code /health} answers the health status the
 * test sets, {@code /fail} a 500, {@code /slow} its version after {@link #SLOW_MILLIS}, {@code /echo} the Host it was
 * sent and the request's body, streamed (chunked); any other path ({@code /version}) answers its version with the
 * status and after the delay the test controls, to make green fail or slow. It counts the requests it received.
 */
public final class Backend implements AutoCloseable {

    /** SLOW_MILLIS: how long {@code /slow} takes. */
    public static final int SLOW_MILLIS = 300;

    /** health: status {@code /health} answers. */
    public final AtomicInteger health;
    /** status: status {@code /version} answers. */
    public final AtomicInteger status = new AtomicInteger(200);
    /** delayMillis: how long {@code /version} takes. */
    public final AtomicInteger delayMillis = new AtomicInteger(0);

    private final String version;
    private final HttpServer server;
    private final ExecutorService workers;
    private final LongAdder received = new LongAdder();

    public Backend(String version) throws IOException {
        this(version, new AtomicInteger(200));
    }

    public Backend(String version, AtomicInteger health) throws IOException {
        this.version = version;
        this.health = health;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        this.workers = Executors.newFixedThreadPool(16);
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A backend answering its version, healthy. */
    public static Backend start(String version) {
        try {
            return new Backend(version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String version() {
        return version;
    }

    /** The base URL a router is given. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests received so far, whatever they asked. */
    public long received() {
        return received.sum();
    }

    private void handle(HttpExchange exchange) throws IOException {
        received.increment();
        byte[] request = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        switch (path) {
            case "/health" -> {
                exchange.sendResponseHeaders(health.get(), -1);
                exchange.close();
                return;
            }
            case "/echo" -> {
                byte[] echo = (exchange.getRequestHeaders().getFirst("Host") + " "
                        + new String(request, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, 0);
                exchange.getResponseBody().write(echo);
                exchange.close();
                return;
            }
            case "/fail" -> answer(exchange, 500);
            case "/slow" -> {
                sleep(SLOW_MILLIS);
                answer(exchange, 200);
            }
            default -> {
                sleep(delayMillis.get());
                answer(exchange, status.get());
            }
        }
    }

    private void answer(HttpExchange exchange, int code) throws IOException {
        byte[] body = version.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(code, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
