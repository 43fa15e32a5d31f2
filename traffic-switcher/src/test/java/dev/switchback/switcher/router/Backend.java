package dev.switchback.switcher.router;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * A real HTTP backend in the test's JVM: {@code /version} answers its version, {@code /fail} a 500,
 * {@code /slow} its version after {@link #SLOW_MILLIS}, and {@code /echo} the Host it was sent and the request's body,
 * streamed (chunked). It counts the requests it received.
 */
public final class Backend implements AutoCloseable {

    /** SLOW_MILLIS: how long {@code /slow} takes. */
    public static final int SLOW_MILLIS = 300;

    private final String version;
    private final HttpServer server;
    private final ExecutorService workers;
    private final LongAdder received = new LongAdder();

    private Backend(String version) throws IOException {
        this.version = version;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        this.workers = Executors.newFixedThreadPool(16);
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

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
        if (path.equals("/echo")) {
            byte[] echo = (exchange.getRequestHeaders().getFirst("Host") + " " + new String(request, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(echo);
            exchange.close();
            return;
        }
        int status = 200;
        if (path.equals("/fail")) {
            status = 500;
        } else if (path.equals("/slow")) {
            try {
                Thread.sleep(SLOW_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = version.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
