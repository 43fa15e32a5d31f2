package dev.switchback.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A user calling the router all along, every 20 ms: every answer must be a 200 from some version. */
final class Prober {

    /** One request that was not answered 200: when (epoch millis) and what came back. */
    record Failure(long at, String what) {
    }

    // switchback.prober.timeoutMillis: a user's patience, 5 s.
    private static final Duration TIMEOUT = Duration.ofMillis(Long.getLong("switchback.prober.timeoutMillis", 5_000));

    final AtomicInteger requests = new AtomicInteger();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<Failure> failuresAt = new CopyOnWriteArrayList<>();
    final Map<String, Integer> versions = new ConcurrentHashMap<>();

    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread thread;
    private Supplier<String> onTimeout = () -> "";
    // One look at a time, off the probing thread: a look takes a second or two, and the probing goes on meanwhile.
    private final AtomicBoolean looking = new AtomicBoolean();
    private final ExecutorService looks = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "prober-look");
        t.setDaemon(true);
        return t;
    });

    Prober(String url) {
        this.url = url;
    }

    /** What to look at when a request gets no answer in time (router state, sockets): kept beside the failure. */
    Prober onTimeout(Supplier<String> look) {
        this.onTimeout = look;
        return this;
    }

    void start() {
        running.set(true);
        thread = new Thread(() -> {
            while (running.get()) {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                            .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
                    requests.incrementAndGet();
                    if (response.statusCode() != 200) {
                        fail(response.statusCode() + " " + response.body());
                    } else {
                        versions.merge(response.body(), 1, Integer::sum);
                    }
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                } catch (HttpTimeoutException e) {
                    requests.incrementAndGet();
                    look(System.currentTimeMillis(), e.toString());
                } catch (IOException e) {
                    requests.incrementAndGet();
                    fail(e.toString());
                    // A refused connection fails at once: no need to hammer a router that is down.
                    pause();
                }
            }
        }, "prober");
        thread.start();
    }

    private void fail(String what) {
        recordFailure(System.currentTimeMillis(), what);
    }

    private void recordFailure(long at, String what) {
        failures.add(what);
        failuresAt.add(new Failure(at, what));
    }

    /** Records a timeout with a look at what held it, or without one while the last look is still under way. */
    private void look(long at, String what) {
        if (!looking.compareAndSet(false, true)) {
            recordFailure(at, what);
            return;
        }
        looks.submit(() -> {
            try {
                recordFailure(at, what + " | " + onTimeout.get());
            } finally {
                looking.set(false);
            }
        });
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the looks under way, so every timeout so far is among the failures. */
    void settle() {
        try {
            looks.submit(() -> { }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the prober's looks did not end", e);
        }
    }

    void stop() {
        running.set(false);
        looks.shutdownNow();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
