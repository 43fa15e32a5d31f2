package dev.switchback.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A user calling the router all along, every 20 ms: every answer must be a 200 from some version. */
final class Prober {

    /** One request that was not answered 200: when (epoch millis) and what came back. */
    record Failure(long at, String what) {
    }

    final AtomicInteger requests = new AtomicInteger();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<Failure> failuresAt = new CopyOnWriteArrayList<>();
    final Map<String, Integer> versions = new ConcurrentHashMap<>();

    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread thread;

    Prober(String url) {
        this.url = url;
    }

    void start() {
        running.set(true);
        thread = new Thread(() -> {
            while (running.get()) {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    requests.incrementAndGet();
                    if (response.statusCode() != 200) {
                        fail(response.statusCode() + " " + response.body());
                    } else {
                        versions.merge(response.body(), 1, Integer::sum);
                    }
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    requests.incrementAndGet();
                    fail(e.toString());
                }
            }
        }, "prober");
        thread.start();
    }

    private void fail(String what) {
        failures.add(what);
        failuresAt.add(new Failure(System.currentTimeMillis(), what));
    }

    void stop() {
        running.set(false);
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
