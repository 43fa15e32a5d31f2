package dev.switchback.releaseapi.webhook.service;

import dev.switchback.releaseapi.webhook.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * POSTs one attempt of a delivery and tells how it went. Redirects are not followed (a receiver that moved answers
 * 3xx, which is a failed attempt naming where it points), so a delivery goes only to the URL an admin registered.
 */
@ApplicationScoped
public class WebhookSender {

    /** USER_AGENT: how deliveries introduce themselves. */
    static final String USER_AGENT = "Switchback-Webhooks/1";
    /** ERROR_EXCERPT: how much of a refusing receiver's answer is kept as the delivery's last error. */
    private static final int ERROR_EXCERPT = 300;

    /** What one attempt came to: a status (or none when no answer came) and, when it failed, why. */
    public record Outcome(Integer status, String error) {
        public boolean succeeded() {
            return error == null;
        }
    }

    /** One attempt to make: where, what, and the headers that identify it. */
    public record Attempt(String url, String body, String secret, String deliveryId, String eventId, String kind) {
    }

    private final WebhookConfig config;
    private final Clock clock;
    private final HttpClient client;

    public WebhookSender(WebhookConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public CompletableFuture<Outcome> send(Attempt attempt) {
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(attempt.url())).timeout(config.timeout());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Outcome(null, "not a URL the client can call: " + e.getMessage()));
        }
        request.header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", USER_AGENT)
                .header("X-Switchback-Delivery", attempt.deliveryId())
                .header("X-Switchback-Event-Id", attempt.eventId())
                .header("X-Switchback-Event", attempt.kind())
                .header(WebhookSigner.TIMESTAMP_HEADER, Long.toString(timestamp));
        if (attempt.secret() != null) {
            request.header(WebhookSigner.SIGNATURE_HEADER, WebhookSigner.sign(attempt.secret(), timestamp, attempt.body()));
        }
        request.POST(HttpRequest.BodyPublishers.ofString(attempt.body(), StandardCharsets.UTF_8));
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> failure != null ? new Outcome(null, describe(failure)) : judge(response));
    }

    private static Outcome judge(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new Outcome(status, null);
        }
        String body = response.body() == null ? "" : response.body().strip();
        String location = response.headers().firstValue("Location").map(where -> " (to " + where + ")").orElse("");
        return new Outcome(status, "HTTP " + status + location
                + (body.isEmpty() ? "" : ": " + body.substring(0, Math.min(body.length(), ERROR_EXCERPT))));
    }

    private String describe(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException) {
            return "no answer within " + config.timeout().toMillis() + " ms";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
