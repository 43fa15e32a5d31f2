package dev.switchback.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Answers every request of the sample app and applies the failure mode of its version tag. */
final class Router implements HttpHandler {

    /** VERSION_HEADER is on every response, so a caller can tell which colour answered. */
    static final String VERSION_HEADER = "X-Switchback-Version";

    /** SLOW_DELAY_MILLIS is the latency a -slow release adds to every request but /health. */
    static final long SLOW_DELAY_MILLIS = 1_000;

    /** MAX_BODY_BYTES caps a posted note; the app is a demo, not a store. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final String version;
    private final VersionTag tag;
    // Null when DB_URL is unset: the app still serves /version and /health.
    private final NoteStore notes;
    private final RequestMetrics metrics = new RequestMetrics();

    Router(String version, NoteStore notes) {
        this.version = version;
        this.tag = VersionTag.of(version);
        this.notes = notes;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String path = exchange.getRequestURI().getPath();
        if ("/metrics".equals(path)) {
            // Served whatever the version's failure mode, like /health, and not counted: scrapes are not traffic.
            try (exchange) {
                send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.exposition());
            }
            return;
        }
        try {
            route(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answerIfStillOpen(exchange, 503, "interrupted while stopping");
        } catch (SQLException e) {
            // A refused connection is the database's fault; a refused statement is the schema's.
            int status = e instanceof NoteStore.UnavailableException ? 503 : 500;
            answerIfStillOpen(exchange, status, e.getMessage());
        } catch (RuntimeException e) {
            answerIfStillOpen(exchange, 500, e.toString());
        } finally {
            exchange.close();
            if (exchange.getResponseCode() != -1) {
                metrics.record(exchange.getRequestMethod(), path, exchange.getResponseCode(), System.nanoTime() - started);
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException, InterruptedException, SQLException {
        String path = exchange.getRequestURI().getPath();
        // /health stays exempt so the failure only shows under real traffic, as in a bad release.
        boolean health = "/health".equals(path);
        if (tag == VersionTag.SLOW && !health) {
            Thread.sleep(SLOW_DELAY_MILLIS);
        }
        if (tag == VersionTag.FAIL && !health) {
            sendError(exchange, 500, "version " + version + " is tagged to fail");
            return;
        }
        switch (path) {
            case "/version" -> version(exchange);
            case "/health" -> health(exchange);
            case "/notes" -> notes(exchange);
            default -> sendError(exchange, 404, "no such path: " + path);
        }
    }

    private void version(HttpExchange exchange) throws IOException {
        if (allowed(exchange, "GET")) {
            send(exchange, 200, TEXT, version);
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        if (!allowed(exchange, "GET")) {
            return;
        }
        if (tag == VersionTag.UNHEALTHY) {
            sendDown(exchange, "version " + version + " is tagged unhealthy");
            return;
        }
        if (notes != null) {
            try {
                notes.probe();
            } catch (SQLException e) {
                sendDown(exchange, "cannot read notes: " + e.getMessage());
                return;
            }
        }
        send(exchange, 200, JSON, "{\"status\":\"UP\",\"version\":" + Json.quote(version) + "}");
    }

    private void sendDown(HttpExchange exchange, String reason) throws IOException {
        send(exchange, 503, JSON, "{\"status\":\"DOWN\",\"version\":" + Json.quote(version)
                + ",\"reason\":" + Json.quote(reason) + "}");
    }

    private void notes(HttpExchange exchange) throws IOException, SQLException {
        if (!allowed(exchange, "GET", "POST")) {
            return;
        }
        if (notes == null) {
            sendError(exchange, 503, "no database configured (DB_URL is not set)");
            return;
        }
        if ("GET".equals(exchange.getRequestMethod())) {
            List<Note> all = notes.list();
            send(exchange, 200, JSON, all.stream().map(Note::toJson).collect(Collectors.joining(",", "[", "]")));
            return;
        }
        byte[] raw = readBody(exchange);
        if (raw == null) {
            sendError(exchange, 413, "note body is larger than " + MAX_BODY_BYTES + " bytes");
            return;
        }
        String text = new String(raw, StandardCharsets.UTF_8);
        String body;
        if (isJson(exchange.getRequestHeaders().getFirst("Content-Type"))) {
            body = bodyField(text);
            if (body == null) {
                sendError(exchange, 400, "expected a JSON object with a string member \"body\"");
                return;
            }
        } else {
            // Anything not declared JSON is the note itself, so `curl -d hello` works in demos.
            body = text;
        }
        if (body.isEmpty()) {
            sendError(exchange, 400, "note body is empty");
            return;
        }
        send(exchange, 201, JSON, notes.add(body).toJson());
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals(JSON) || mediaType.endsWith("+json");
    }

    private static String bodyField(String text) {
        try {
            return Json.parse(text) instanceof Map<?, ?> object
                    && object.get("body") instanceof String body ? body : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // Returns null when the body is over the cap, without reading the rest of it.
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] raw = in.readNBytes(MAX_BODY_BYTES + 1);
            return raw.length > MAX_BODY_BYTES ? null : raw;
        }
    }

    private boolean allowed(HttpExchange exchange, String... methods) throws IOException {
        String method = exchange.getRequestMethod();
        for (String allowedMethod : methods) {
            if (allowedMethod.equals(method)) {
                return true;
            }
        }
        exchange.getResponseHeaders().set("Allow", String.join(", ", methods));
        sendError(exchange, 405, "method " + method + " is not allowed here");
        return false;
    }

    private void answerIfStillOpen(HttpExchange exchange, int status, String message) throws IOException {
        // -1 means no status line went out yet; after that the connection can only be closed.
        if (exchange.getResponseCode() == -1) {
            sendError(exchange, status, message);
        }
    }

    private void sendError(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, JSON, "{\"error\":" + Json.quote(message) + ",\"version\":"
                + Json.quote(version) + "}");
    }

    private void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set(VERSION_HEADER, version);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        // The JDK server reads length 0 as "chunked"; -1 is how it spells an empty body.
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
