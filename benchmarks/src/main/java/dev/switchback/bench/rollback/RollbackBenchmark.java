package dev.switchback.bench.rollback;

import dev.switchback.bench.Bench;
import dev.switchback.bench.Benchmark;
import dev.switchback.bench.EventLog;
import dev.switchback.bench.Figure;
import dev.switchback.bench.Params;
import dev.switchback.bench.Specs;
import dev.switchback.bench.Traffic;
import dev.switchback.infra.Ports;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Rollback, per router: (a) a green that fails every request ({@code -fail}) under 4 keep-alive clients sending GET
 * and 2 sending POST: from the cutover (its first analysis interval starts there) to the analysis' verdict and to
 * traffic back on blue, the failed requests green had at the verdict, and the failed requests users got of each
 * method (blue answers the GETs green fails while it is watched; a POST is never sent twice); (b)
 * {@code POST /rollback} of a healthy green to traffic back on blue, by the switcher's event and as a user's next
 * request sees it.
 */
public final class RollbackBenchmark implements Benchmark {

    static final String BLUE = "1.0.0";

    @Override
    public String name() {
        return "rollback";
    }

    @Override
    public String title() {
        return "Rollback: analysis and POST /rollback, per router";
    }

    @Override
    public Outcome run(Bench bench, Params params) throws Exception {
        int rounds = params.integer("rounds", 5);
        int clients = params.integer("clients", 4);
        int posters = params.integer("postClients", 2);
        int interval = params.integer("intervalMillis", 1000);
        String routers = params.text("routers", nginxInstalled() ? "embedded,nginx" : "embedded");
        // greenHogs > 0: the failing green also spins that many busy loops while it is judged (Specs.hogging).
        int hogs = params.integer("greenHogs", 0);
        List<Figure> figures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String router : routers.split(",")) {
            int port = Ports.free();
            String service = "bench-rollback-" + router;
            bench.register(service, "local", hogs == 0 ? Specs.sample(bench.sampleJar(), router, port, 300, interval, false)
                    : Specs.hogging(bench.sampleJar(), router, port, 300, interval, hogs, 8));
            String first = bench.release(service, "local", BLUE);
            bench.events().await(first, Duration.ofMinutes(3), "release.live");
            // A first release has no blue to bake against and may be promoted at once; otherwise its bake is ended here.
            if (bench.events().first(first, "release.promoted").isEmpty()) {
                bench.actIfStill(first, "promote");
            }
            bench.awaitEnd(first, Duration.ofMinutes(1));
            URI uri = URI.create("http://127.0.0.1:" + port + "/version");
            List<Double> decision = new ArrayList<>();
            List<Double> toBlue = new ArrayList<>();
            List<Double> switchMillis = new ArrayList<>();
            List<Double> failedRequests = new ArrayList<>();
            List<Double> failedPosts = new ArrayList<>();
            List<Double> greenErrors = new ArrayList<>();
            List<Double> failingWindow = new ArrayList<>();
            List<Double> manualEvent = new ArrayList<>();
            List<Double> manualSeen = new ArrayList<>();
            long sent = 0;
            long posted = 0;
            for (int round = 1; round <= rounds; round++) {
                String failing;
                try (Traffic users = Traffic.start(uri, clients, Duration.ofMinutes(2));
                     Traffic posting = Traffic.start(uri, posters, Duration.ofMinutes(2), "POST")) {
                    Bench.pause(Duration.ofMillis(300));
                    failing = bench.release(service, "local", "1." + round + ".1-fail");
                    String end = bench.awaitEnd(failing, Duration.ofMinutes(2)).type();
                    if (!end.equals("release.rolled-back")) {
                        throw new IllegalStateException("a failing green ended " + end + ", not rolled back");
                    }
                    Bench.pause(Duration.ofMillis(300));
                    users.close();
                    posting.close();
                    sent += users.sent();
                    posted += posting.sent();
                    failedRequests.add((double) users.failed());
                    failedPosts.add((double) posting.failed());
                    // Over both kinds of users: blue answers the GETs, so the failures are mostly POSTs.
                    Instant firstFailure = earliest(users.firstFailure(), posting.firstFailure());
                    if (firstFailure != null) {
                        failingWindow.add(Bench.millis(firstFailure, latest(users.lastFailure(), posting.lastFailure())));
                    }
                }
                Instant cutover = at(bench, failing, "traffic.cutover-completed");
                decision.add(Bench.millis(cutover, at(bench, failing, "traffic.analysis-failed")));
                bench.events().first(failing, "traffic.analysis-failed")
                        .ifPresent(failed -> greenErrors.add(failed.data().path("measurement").path("errors").asDouble()));
                toBlue.add(Bench.millis(cutover, at(bench, failing, "traffic.rollback-completed")));
                bench.events().first(failing, "traffic.rollback-completed")
                        .ifPresent(done -> switchMillis.add(done.data().path("switchMillis").asDouble()));

                String healthy = bench.release(service, "local", "1." + round + ".2");
                bench.events().await(healthy, Duration.ofMinutes(2), "release.live");
                Bench.pause(Duration.ofMillis(300));
                Instant asked = Instant.now();
                bench.act(healthy, "rollback");
                manualSeen.add(Bench.millis(asked, firstAnswerOf(uri, BLUE)));
                EventLog.Seen back = bench.events().await(healthy, Duration.ofMinutes(1), "traffic.rollback-completed");
                manualEvent.add(Bench.millis(asked, back.time()));
                bench.awaitEnd(healthy, Duration.ofMinutes(1));
            }
            figures.add(Figure.single(router + ": analysis interval", "ms", interval, "the spec's, for comparison"));
            figures.add(new Figure(router + ": failing green, cutover → analysis-failed", "ms", decision,
                    "green's first interval starts at the cutover"));
            figures.add(new Figure(router + ": failing green, cutover → rollback-completed", "ms", toBlue,
                    "100 % of traffic back on blue, as the switcher verified it"));
            figures.add(new Figure(router + ": verdict → traffic on blue", "ms", switchMillis,
                    "the switcher's own switchMillis: blue's health check, the switch, its verification"));
            figures.add(new Figure(router + ": green's failed requests at the verdict", "count", greenErrors,
                    "what analysis had counted when it failed green (minRequests 5)"));
            figures.add(new Figure(router + ": failed requests per failing release", "count", failedRequests,
                    "GETs users got failed: " + clients + " keep-alive clients back to back; " + sent + " requests in all"));
            figures.add(new Figure(router + ": failed POSTs per failing release", "count", failedPosts,
                    "never sent twice: " + posters + " keep-alive clients back to back; " + posted + " requests in all"));
            figures.add(new Figure(router + ": users' first → last failure", "ms", failingWindow,
                    "as the clients saw it, GET and POST"));
            figures.add(new Figure(router + ": POST /rollback → rollback-completed", "ms", manualEvent, "switcher's event time"));
            figures.add(new Figure(router + ": POST /rollback → a new request answers blue", "ms", manualSeen,
                    "a client polling on new requests"));
        }
        notes.add("A green that fails every request is judged on its first interval as soon as the failures make the "
                + "verdict certain (early decision), not at the interval's end; until traffic is back on blue, blue "
                + "answers the GETs green fails (the fallback), and the POSTs fail.");
        return new Outcome(figures, notes);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private static Instant at(Bench bench, String releaseId, String type) {
        return bench.events().first(releaseId, type).map(EventLog.Seen::time)
                .orElseThrow(() -> new IllegalStateException(releaseId + " has no " + type));
    }

    /** Polls until an answer carries the version; a user's next request after the rollback. */
    private static Instant firstAnswerOf(URI uri, String version) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200 && answer.body().trim().equals(version)) {
                    return Instant.now();
                }
            } catch (java.io.IOException e) {
                // the router between two states: ask again
            }
        }
        throw new IllegalStateException("blue " + version + " did not answer within 30 s of the rollback");
    }

    static boolean nginxInstalled() {
        if (Files.isExecutable(Path.of("/usr/sbin/nginx"))) {
            return true;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, "nginx"))) {
                return true;
            }
        }
        return false;
    }
}
