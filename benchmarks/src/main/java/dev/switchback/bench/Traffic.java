package dev.switchback.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Users of a service: keep-alive clients on loopback sending {@code GET} (or another method, with no body) back to
 * back to one URL, each counting what it got: a {@code GET} fails unless answered 200, another method when answered
 * 5xx or not at all (sample-app answers 405 to a {@code POST} it serves). Stops by itself after {@code limit},
 * whatever the caller does.
 */
public final class Traffic implements AutoCloseable {

    private final List<Thread> clients = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Instant> firstFailure = new AtomicReference<>();
    private final AtomicReference<Instant> lastFailure = new AtomicReference<>();
    private final ConcurrentHashMap<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    private Traffic(URI uri, int count, Duration limit, String method) {
        boolean get = method.equals("GET");
        long deadline = System.nanoTime() + limit.toNanos();
        for (int i = 0; i < count; i++) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build();
            Thread client = new Thread(() -> {
                while (running && System.nanoTime() < deadline) {
                    sent.incrementAndGet();
                    try {
                        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (get ? answer.statusCode() != 200 : answer.statusCode() >= 500) {
                            failure();
                        } else {
                            answers.computeIfAbsent(answer.body().trim(), k -> new AtomicLong()).incrementAndGet();
                        }
                    } catch (IOException e) {
                        failure();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-traffic-" + i);
            client.setDaemon(true);
            clients.add(client);
        }
        clients.forEach(Thread::start);
    }

    /** Starts {@code count} clients sending GET to the URL; they stop at {@link #close} or after {@code limit}. */
    public static Traffic start(URI uri, int count, Duration limit) {
        return new Traffic(uri, count, limit, "GET");
    }

    /** Starts {@code count} clients sending {@code method} with no body to the URL. */
    public static Traffic start(URI uri, int count, Duration limit, String method) {
        return new Traffic(uri, count, limit, method);
    }

    private void failure() {
        Instant now = Instant.now();
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, now);
        lastFailure.set(now);
    }

    public long sent() {
        return sent.get();
    }

    public long failed() {
        return failed.get();
    }

    public Instant firstFailure() {
        return firstFailure.get();
    }

    public Instant lastFailure() {
        return lastFailure.get();
    }

    /** How many successful answers carried this body (sample-app's /version answers its version). */
    public long answered(String body) {
        AtomicLong count = answers.get(body);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        running = false;
        for (Thread client : clients) {
            try {
                client.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
