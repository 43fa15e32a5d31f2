package dev.switchback.switcher.metrics.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Instant queries against Prometheus' HTTP API ({@code /api/v1/query}); the answer must be a vector. */
public final class PrometheusClient {

    /** One series of a vector answer: its labels and value. */
    public record Sample(Map<String, String> labels, double value) {
    }

    /** Prometheus could not answer the query: unreachable, an error status, or not a vector. */
    public static final class QueryFailed extends Exception {
        QueryFailed(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    public PrometheusClient(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The query's vector evaluated at the given time. */
    public List<Sample> query(String promql, Instant at) throws QueryFailed {
        String time = String.format(java.util.Locale.ROOT, "%.3f", at.toEpochMilli() / 1000.0);
        String form = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + time;
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/query")).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new QueryFailed("Prometheus at " + base + " did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryFailed("interrupted");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new QueryFailed("Prometheus answered " + response.statusCode() + " with no JSON");
        }
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new QueryFailed("Prometheus refused " + promql + ": " + response.statusCode() + " "
                    + body.path("errorType").asText() + " " + body.path("error").asText());
        }
        JsonNode data = body.path("data");
        if (!"vector".equals(data.path("resultType").asText())) {
            throw new QueryFailed("the query " + promql + " gives a " + data.path("resultType").asText()
                    + ", not the vector of counter series it must");
        }
        List<Sample> samples = new ArrayList<>();
        for (JsonNode series : data.path("result")) {
            Map<String, String> labels = new TreeMap<>();
            for (Map.Entry<String, JsonNode> label : series.path("metric").properties()) {
                labels.put(label.getKey(), label.getValue().asText());
            }
            samples.add(new Sample(labels, parse(series.path("value").path(1).asText())));
        }
        return samples;
    }

    private static double parse(String value) {
        return switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN", "" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
    }
}
