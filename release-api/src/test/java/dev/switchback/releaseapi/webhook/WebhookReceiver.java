package dev.switchback.releaseapi.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchback.releaseapi.webhook.service.WebhookSigner;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver on a free port, as a team would run one: {@code /signed} verifies each delivery's HMAC as the
 * README tells receivers to, and refuses the first attempt of every delivery with 500 (so a delivery is only taken
 * if it was retried); {@code /slow} keeps its first attempt of each delivery waiting past the sender's timeout;
 * {@code /down} answers 503 to everything; {@code /ok} takes everything.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived. */
    record Received(String path, String body, String deliveryId, String event, String timestamp, String signature,
                    int answered) {
    }

    private final HttpServer server;
    private final String secret;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attemptsByDelivery = new ConcurrentHashMap<>();

    WebhookReceiver(String secret) throws IOException {
        this.secret = secret;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The requests of a path that were taken (2xx). */
    List<Received> taken(String path) {
        return received(path).stream().filter(r -> r.answered() / 100 == 2).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        String delivery = exchange.getRequestHeaders().getFirst("X-Switchback-Delivery");
        String timestamp = exchange.getRequestHeaders().getFirst(WebhookSigner.TIMESTAMP_HEADER);
        String signature = exchange.getRequestHeaders().getFirst(WebhookSigner.SIGNATURE_HEADER);
        int attempt = attemptsByDelivery.computeIfAbsent(path + delivery, key -> new AtomicInteger()).incrementAndGet();
        int status = switch (path) {
            case "/signed" -> !verifies(timestamp, body, signature) ? 401 : attempt == 1 ? 500 : 200;
            case "/slow" -> {
                if (attempt == 1) {
                    sleep(2_500);
                }
                yield 200;
            }
            case "/down" -> 503;
            default -> 200;
        };
        received.add(new Received(path, body, delivery, exchange.getRequestHeaders().getFirst("X-Switchback-Event"),
                timestamp, signature, status));
        byte[] answer = (status == 500 ? "receiver warming up" : status == 401 ? "bad signature" : "ok")
                .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    /** What a receiver does: recompute the HMAC of "timestamp.body" with the shared secret, compare in constant time. */
    private boolean verifies(String timestamp, String body, String signature) {
        if (timestamp == null || signature == null) {
            return false;
        }
        try {
            // Written from the README's recipe, not with the sender's code, so a sender that signs wrongly fails here.
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "sha256=" + HexFormat.of().formatHex(
                    mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
            return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
