package dev.switchback.switcher.router;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Steady load on a port: each client a thread with its own keep-alive connection, sending GETs back to back. An
 * answer other than 200 with one of the expected bodies, or no answer, is a failed request.
 */
public final class Load {

    private static final int FAILURES_KEPT = 20;

    /** What the clients saw: requests, failed ones (the first few described), GETs retried, latency of each. */
    public record Result(long requests, long failed, long retries, List<String> failures, long[] latenciesMicros,
                         Duration elapsed) {

        public double perSecond() {
            return requests / (elapsed.toNanos() / 1e9);
        }

        /** The latency under which the given share (0..1) of requests completed, in milliseconds. */
        public double percentileMillis(double share) {
            if (latenciesMicros.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(share * latenciesMicros.length) - 1;
            return latenciesMicros[Math.max(0, rank)] / 1000.0;
        }
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Client> clients = new ArrayList<>();
    private final long started = System.nanoTime();

    private Load(int port, String path, int clients, Set<String> bodies) {
        for (int i = 0; i < clients; i++) {
            Client client = new Client(port, path, bodies);
            this.clients.add(client);
            client.thread.start();
        }
    }

    public static Load start(int port, String path, int clients, Set<String> bodies) {
        return new Load(port, path, clients, bodies);
    }

    public Result stop() throws InterruptedException {
        running.set(false);
        long requests = 0;
        long failed = 0;
        long retries = 0;
        List<String> failures = new ArrayList<>();
        List<long[]> latencies = new ArrayList<>();
        for (Client client : clients) {
            client.thread.join();
            requests += client.requests;
            failed += client.failed;
            retries += client.http.retries();
            failures.addAll(client.failures);
            latencies.add(Arrays.copyOf(client.latencies, client.requests));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(requests, failed, retries,
                Collections.unmodifiableList(failures.subList(0, Math.min(FAILURES_KEPT, failures.size()))), all, elapsed);
    }

    private final class Client implements Runnable {
        private final String path;
        private final Set<String> bodies;
        private final KeepAliveClient http;
        private final Thread thread;
        private final List<String> failures = new ArrayList<>();
        private long[] latencies = new long[1 << 16];
        private int requests;
        private long failed;

        Client(int port, String path, Set<String> bodies) {
            this.path = path;
            this.bodies = bodies;
            this.http = new KeepAliveClient("127.0.0.1", port, 5000);
            this.thread = new Thread(this, "load-" + clients.size());
        }

        @Override
        public void run() {
            try (http) {
                while (running.get()) {
                    long start = System.nanoTime();
                    String failure = null;
                    try {
                        KeepAliveClient.Response response = http.get(path);
                        if (response.status() != 200 || !bodies.contains(response.body())) {
                            failure = response.status() + " " + response.body().strip();
                        }
                    } catch (IOException | RuntimeException e) {
                        failure = e.toString();
                    }
                    if (requests == latencies.length) {
                        latencies = Arrays.copyOf(latencies, latencies.length * 2);
                    }
                    latencies[requests++] = (System.nanoTime() - start) / 1000;
                    if (failure != null) {
                        failed++;
                        if (failures.size() < FAILURES_KEPT) {
                            failures.add(failure);
                        }
                    }
                }
            }
        }
    }
}
