package dev.switchback.switcher.route.service;

import dev.switchback.switcher.config.SwitcherConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/** Whether blue can take the traffic back: its health path answers 2xx within {@code health-timeout}. */
@ApplicationScoped
public class BlueHealth {

    private final SwitcherConfig config;
    private final HttpClient http;

    public BlueHealth(SwitcherConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.healthTimeout()).build();
    }

    /** Empty when the endpoint's health path answers 2xx, else what was wrong. */
    public Optional<String> problem(String endpoint, String healthPath) {
        try {
            int status = http.send(HttpRequest.newBuilder(URI.create(endpoint + healthPath))
                    .timeout(config.healthTimeout()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            return status / 100 == 2 ? Optional.empty() : Optional.of("answered " + status);
        } catch (IOException e) {
            return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }
}
