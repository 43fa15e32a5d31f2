package dev.switchback.deployer.instance.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Calls a health path on a handle's endpoint: 2xx is ready, anything else is "not yet" with what was seen. For the
 * drivers whose instances answer HTTP directly; the caller decides whether "not yet" became final.
 */
public class HttpHealthCheck {

    private final Duration timeout;
    private final HttpClient http;

    public HttpHealthCheck(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public Answer check(URI endpoint, String path) {
        String url = endpoint.toString() + (path == null ? "" : path);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return Answer.yes();
            }
            String body = response.body() == null ? "" : response.body();
            return Answer.notYet(url + " answered " + response.statusCode() + " "
                    + body.substring(0, Math.min(200, body.length())));
        } catch (IOException e) {
            return Answer.notYet(url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.notYet("interrupted");
        }
    }
}
