package dev.switchback.switcher.route.service;

import dev.switchback.switcher.config.SwitcherConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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
        return ask(endpoint, healthPath).join();
    }

    /**
     * Asks now and answers later, so a rollback can take its locks while blue is being asked: empty when the health
     * path answered 2xx, else what was wrong. Never fails; the request's timeout bounds the wait.
     */
    public CompletableFuture<Optional<String>> ask(String endpoint, String healthPath) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(endpoint + healthPath)).timeout(config.healthTimeout()).build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Optional.of(e.getMessage()));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                return Optional.of(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
            }
            return response.statusCode() / 100 == 2 ? Optional.empty() : Optional.of("answered " + response.statusCode());
        });
    }
}
