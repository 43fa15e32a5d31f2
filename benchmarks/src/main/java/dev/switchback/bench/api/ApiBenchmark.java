package dev.switchback.bench.api;

import dev.switchback.bench.Bench;
import dev.switchback.bench.Benchmark;
import dev.switchback.bench.EventLog;
import dev.switchback.bench.Figure;
import dev.switchback.bench.Params;
import dev.switchback.bench.Specs;
import dev.switchback.infra.Ports;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * release-api under load: {@code POST /releases} of distinct services from {@code clients} threads, then
 * {@code GET /releases/{id}} of those releases for {@code getSeconds}; requests per second and latency. The releases
 * run the whole pipeline (their instance exits at once, so they end FAILED at green's start and no JVM is started):
 * the events of all of them over the time from the first POST to the last event is the events per second the
 * pipeline sustains end to end.
 */
public final class ApiBenchmark implements Benchmark {

    @Override
    public String name() {
        return "api";
    }

    @Override
    public String title() {
        return "API: POST and GET /releases, events per second end to end";
    }

    @Override
    public Outcome run(Bench bench, Params params) throws Exception {
        int posts = params.integer("posts", 200);
        int clients = params.integer("clients", 8);
        int getSeconds = params.integer("getSeconds", 10);
        int rounds = params.integer("rounds", 3);
        String token = bench.suite().tokens().token("bench", "admin");
        String api = bench.suite().config().url("release-api");
        List<Double> postRate = new ArrayList<>();
        List<Double> postLatency = Collections.synchronizedList(new ArrayList<>());
        List<Double> getRate = new ArrayList<>();
        List<Double> getLatency = Collections.synchronizedList(new ArrayList<>());
        List<Double> eventRate = new ArrayList<>();
        List<Double> pipeline = new ArrayList<>();
        List<Double> eventsPerRelease = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            List<String> services = new ArrayList<>();
            for (int i = 0; i < posts; i++) {
                String service = "bench-api-" + round + "-" + i;
                bench.register(service, "local", Specs.exiting(bench.sampleJar(), Ports.free()));
                services.add(service);
            }
            List<String> ids = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger next = new AtomicInteger();
            Instant firstPost = Instant.now();
            long postStart = System.nanoTime();
            runClients(clients, () -> {
                HttpClient http = HttpClient.newHttpClient();
                for (int i = next.getAndIncrement(); i < posts; i = next.getAndIncrement()) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/releases"))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("""
                                    {"service": "%s", "environment": "local", "version": "1.0.0"}""".formatted(services.get(i))))
                            .build();
                    long sent = System.nanoTime();
                    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                    postLatency.add((System.nanoTime() - sent) / 1e6);
                    if (answer.statusCode() != 202) {
                        throw new IllegalStateException("POST /releases answered " + answer.statusCode() + ": " + answer.body());
                    }
                    ids.add(Bench.json(answer.body()).get("id").asText());
                }
            });
            postRate.add(posts / ((System.nanoTime() - postStart) / 1e9));
            Instant lastEvent = firstPost;
            long events = 0;
            for (String id : ids) {
                bench.awaitEnd(id, Duration.ofMinutes(5));
            }
            Bench.pause(Duration.ofSeconds(2)); // what follows the end (an instance retired) is counted too
            for (String id : ids) {
                List<EventLog.Seen> seen = bench.events().of(id);
                events += seen.size();
                eventsPerRelease.add((double) seen.size());
                Instant last = seen.stream().map(EventLog.Seen::time).max(Instant::compareTo).orElseThrow();
                Instant requested = seen.stream().filter(e -> e.type().equals("release.requested"))
                        .map(EventLog.Seen::time).findFirst().orElseThrow();
                Instant ended = seen.stream().filter(e -> List.of(Bench.TERMINAL).contains(e.type()))
                        .map(EventLog.Seen::time).findFirst().orElseThrow();
                pipeline.add(Bench.millis(requested, ended));
                if (last.isAfter(lastEvent)) {
                    lastEvent = last;
                }
            }
            eventRate.add(events / (Bench.millis(firstPost, lastEvent) / 1000));

            long getStart = System.nanoTime();
            long getDeadline = getStart + Duration.ofSeconds(getSeconds).toNanos();
            AtomicInteger gets = new AtomicInteger();
            runClients(clients, () -> {
                HttpClient http = HttpClient.newHttpClient();
                while (System.nanoTime() < getDeadline) {
                    String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                    HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/releases/" + id))
                            .header("Authorization", "Bearer " + token).build();
                    long sent = System.nanoTime();
                    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                    getLatency.add((System.nanoTime() - sent) / 1e6);
                    if (answer.statusCode() != 200) {
                        throw new IllegalStateException("GET /releases/" + id + " answered " + answer.statusCode());
                    }
                    gets.incrementAndGet();
                }
            });
            getRate.add(gets.get() / ((System.nanoTime() - getStart) / 1e9));
        }
        return new Outcome(List.of(
                new Figure("POST /releases", "requests/s", postRate, clients + " clients, distinct services, one per round"),
                new Figure("POST /releases latency", "ms", postLatency, "every request"),
                new Figure("GET /releases/{id}", "requests/s", getRate, clients + " clients, " + getSeconds + " s per round"),
                new Figure("GET /releases/{id} latency", "ms", getLatency, "every request"),
                new Figure("events end to end", "events/s", eventRate, "all events of a round's releases / first POST → last event"),
                new Figure("events per release", "count", eventsPerRelease, "requested … failed, instance retired"),
                new Figure("release.requested → release.failed", "ms", pipeline, "every stage, green exits at once")),
                List.of("The POSTs' releases run while the next POSTs arrive: the POST figures include the pipeline's load."));
    }

    /** A body of work for one client thread. */
    interface Client {
        void run() throws Exception;
    }

    private static void runClients(int count, Client client) throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Exception> errors = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(() -> {
                try {
                    client.run();
                } catch (Exception e) {
                    errors.add(e);
                }
            }, "bench-api-client-" + i);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(Duration.ofMinutes(5).toMillis());
        }
        if (!errors.isEmpty()) {
            throw errors.get(0);
        }
    }
}
