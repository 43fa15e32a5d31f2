package dev.switchback.switcher;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP backend for the switcher's tests: {@code /version} answers its version (with a status and a delay the
 * test controls, to make green fail or slow), {@code /health} answers the health status the test sets.
 */
final class Backend implements AutoCloseable {

    /** health: status {@code /health} answers. */
    final AtomicInteger health;
    /** status: status {@code /version} answers. */
    final AtomicInteger status = new AtomicInteger(200);
    /** delayMillis: how long {@code /version} takes. */
    final AtomicInteger delayMillis = new AtomicInteger(0);

    private final HttpServer server;

    Backend(String version) throws IOException {
        this(version, new AtomicInteger(200));
    }

    Backend(String version, AtomicInteger health) throws IOException {
        this.health = health;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/version", exchange -> {
            try {
                Thread.sleep(delayMillis.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = version.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(health.get(), -1);
            exchange.close();
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
