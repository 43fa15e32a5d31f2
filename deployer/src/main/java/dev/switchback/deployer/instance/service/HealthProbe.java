package dev.switchback.deployer.instance.service;

import dev.switchback.deployer.config.DeployerConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls an instance's health check over HTTP: 2xx is healthy, anything else says what was wrong. */
@ApplicationScoped
public class HealthProbe {

    private final DeployerConfig config;
    private final HttpClient http;

    public HealthProbe(DeployerConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.healthTimeout()).build();
    }

    /**
     * Checks up to {@code attempts} times, a quarter second apart, so one slow answer is not a verdict.
     *
     * @return null when healthy, else what the last check saw
     */
    public String probe(String url, int attempts) {
        String problem = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            problem = once(url);
            if (problem == null) {
                return null;
            }
            if (attempt < attempts) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "interrupted";
                }
            }
        }
        return problem;
    }

    private String once(String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(config.healthTimeout()).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return null;
            }
            String body = response.body() == null ? "" : response.body();
            return url + " answered " + response.statusCode() + " " + body.substring(0, Math.min(200, body.length()));
        } catch (IOException e) {
            return url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
