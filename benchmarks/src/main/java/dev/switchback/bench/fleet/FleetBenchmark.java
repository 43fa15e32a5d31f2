package dev.switchback.bench.fleet;

import dev.switchback.bench.Bench;
import dev.switchback.bench.Benchmark;
import dev.switchback.bench.EventLog;
import dev.switchback.bench.Figure;
import dev.switchback.bench.Params;
import dev.switchback.bench.ProcSampler;
import dev.switchback.bench.Specs;
import dev.switchback.bench.Stats;
import dev.switchback.bench.overhead.Timeline;
import dev.switchback.infra.Ports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * A hundred services at once: {@code services} sample-apps registered, each behind its own embedded route, and all
 * released at the same moment (bake 0, no migration). Every release must end promoted with its whole event sequence
 * on the topics; overhead as in {@code overhead}; the suite's services' RSS and CPU sampled throughout.
 */
public final class FleetBenchmark implements Benchmark {

    /** EXPECTED: the events a first release with bake 0 and no migration puts on the topics, each exactly once. */
    public static final List<String> EXPECTED = List.of("release.requested", "release.started", "migration.skipped",
            "deployment.blue-checked", "deployment.green-deploying", "deployment.green-ready", "traffic.cutover-started",
            "traffic.cutover-completed", "release.live", "traffic.bake-completed", "release.promoted");

    /** SERVICES: the suite's processes whose footprint is sampled. */
    public static final List<String> SERVICES = List.of("release-api", "db-migrator", "deployer", "traffic-switcher");

    /** One part of the overhead, between two events; {@code from} null counts from the POST. */
    private record Stage(String name, String note, String from, String to) {
        double millis(Instant requested, Timeline timeline) {
            return from == null ? Bench.millis(requested, timeline.at(to)) : timeline.between(from, to);
        }
    }

    /** STAGES: the parts of the overhead, in the order a release passes them. */
    private static final List<Stage> STAGES = List.of(
            new Stage("POST → release.started", "release-api: request, transaction", null, "release.started"),
            new Stage("release.started → migration.skipped", "hop 1 + db-migrator", "release.started", "migration.skipped"),
            new Stage("migration.skipped → green-deploying", "hop 2 + deployer: blue check, process spawn",
                    "migration.skipped", "deployment.green-deploying"),
            new Stage("green-ready → cutover-completed", "hop 3 + traffic-switcher: route switch, verification",
                    "deployment.green-ready", "traffic.cutover-completed"));

    @Override
    public String name() {
        return "fleet";
    }

    @Override
    public String title() {
        return "A hundred services released at once";
    }

    @Override
    public Outcome run(Bench bench, Params params) throws Exception {
        int count = params.integer("services", 100);
        int posters = params.integer("posters", 16);
        warmUp(bench, params.integer("warmup", 20));
        List<String> services = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String service = "bench-fleet-" + i;
            bench.register(service, "local", Specs.sample(bench.sampleJar(), "embedded", Ports.free(), 0, 1000, false));
            services.add(service);
        }
        Map<String, Long> pids = bench.suitePids();
        Map<String, Instant> requested = new ConcurrentHashMap<>();
        Instant start;
        List<String> ids;
        try (ProcSampler sampler = new ProcSampler(pids, Duration.ofMillis(500))) {
            ExecutorService pool = Executors.newFixedThreadPool(posters);
            start = Instant.now();
            List<Future<String>> posted = new ArrayList<>();
            for (String service : services) {
                posted.add(pool.submit(() -> {
                    Instant at = Instant.now();
                    String id = bench.release(service, "local", "1.0.0");
                    requested.put(id, at);
                    return id;
                }));
            }
            ids = new ArrayList<>();
            for (Future<String> id : posted) {
                ids.add(id.get());
            }
            pool.shutdown();
            for (String id : ids) {
                bench.awaitEnd(id, Duration.ofMinutes(10));
            }
            Bench.pause(Duration.ofSeconds(1));
            sampler.close();
            return outcome(bench, ids, requested, start, sampler, count);
        }
    }

    /**
     * WARMUP_SERVICES: the services released side by side to warm the suite up. A suite that has just started runs its
     * code interpreted until C1 compiles it: released cold, the fleet's overhead is about four times that of a suite
     * that has released a few dozen times before (p50 9.5 s against 2.2 s on the same machine), which is not what a
     * long-running suite's users see.
     */
    private static final int WARMUP_SERVICES = 4;

    /** {@code releases} uncounted releases, {@link #WARMUP_SERVICES} at a time; their instances stay live, idle. */
    private static void warmUp(Bench bench, int releases) throws Exception {
        List<String> services = new ArrayList<>();
        for (int i = 0; i < Math.min(WARMUP_SERVICES, releases); i++) {
            String service = "bench-warmup-fleet-" + i;
            bench.register(service, "local", Specs.sample(bench.sampleJar(), "embedded", Ports.free(), 0, 1000, false));
            services.add(service);
        }
        for (int done = 0, round = 1; done < releases; round++) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < services.size() && done < releases; i++, done++) {
                ids.add(bench.release(services.get(i), "local", "1.0." + round));
            }
            for (String id : ids) {
                bench.awaitEnd(id, Duration.ofMinutes(3));
            }
        }
    }

    private Outcome outcome(Bench bench, List<String> ids, Map<String, Instant> requested, Instant start,
                            ProcSampler sampler, int count) throws IOException {
        List<Double> overhead = new ArrayList<>();
        List<Double> startup = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        // The overhead per stage, so a queue that holds the fleet up shows where it is.
        Map<Stage, List<Double>> stages = new java.util.LinkedHashMap<>();
        STAGES.forEach(stage -> stages.put(stage, new ArrayList<>()));
        int live = 0;
        int missing = 0;
        int duplicated = 0;
        Instant last = start;
        List<String> incomplete = new ArrayList<>();
        List<String> failedReleases = new ArrayList<>();
        for (String id : ids) {
            List<EventLog.Seen> events = bench.events().of(id);
            List<String> types = events.stream().map(EventLog.Seen::type).toList();
            boolean promoted = types.contains("release.promoted");
            if (promoted) {
                live++;
                Timeline timeline = Timeline.of(requested.get(id), bench.events(), id);
                overhead.add(timeline.overhead());
                startup.add(timeline.startup());
                total.add(timeline.total());
                stages.forEach((stage, samples) -> samples.add(stage.millis(requested.get(id), timeline)));
                Instant cut = timeline.at("traffic.cutover-completed");
                if (cut.isAfter(last)) {
                    last = cut;
                }
            }
            if (!promoted) {
                // Not an event lost: a release that failed has a sequence of its own; say how it ended and why.
                EventLog.Seen ending = events.get(events.size() - 1);
                String why = events.stream().filter(e -> e.data().hasNonNull("reason")).map(e -> e.type() + ": "
                        + e.data().path("reason").asText()).reduce((a, b) -> b).orElse("");
                failedReleases.add(id + " ended " + ending.type() + " after " + types + (why.isEmpty() ? "" : "; " + why));
                continue;
            }
            int lost = 0;
            for (String type : EXPECTED) {
                long seen = types.stream().filter(type::equals).count();
                if (seen == 0) {
                    lost++;
                } else if (seen > 1) {
                    duplicated++;
                }
            }
            missing += lost;
            if (lost > 0 && incomplete.size() < 5) {
                incomplete.add(id + " " + types);
            }
        }
        List<Double> instanceRss = new ArrayList<>();
        for (long pid : instancePids(bench.suite().config().instances(), "bench-fleet-")) {
            double mib = ProcSampler.rssMiB(pid);
            if (mib > 0) {
                instanceRss.add(mib);
            }
        }
        List<Figure> figures = new ArrayList<>(List.of(
                Figure.single("releases LIVE (promoted)", "count", live, "of " + count + " released at once"),
                Figure.single("events missing", "count", missing, "of the " + EXPECTED.size() + " each promoted release must have"),
                Figure.single("events duplicated", "count", duplicated, "delivered more than once (at-least-once)"),
                new Figure("overhead", "ms", overhead, "POST → cutover-completed minus green's start-up, per release"),
                new Figure("green start-up", "ms", startup, "green-deploying → green-ready, 100 JVMs starting together"),
                new Figure("POST → cutover-completed", "ms", total, "per release"),
                Figure.single("first POST → last cutover", "ms", Bench.millis(start, last), "the whole fleet"),
                new Figure("sample-app instance RSS", "MiB", instanceRss, "each live instance after its release")));
        stages.forEach((stage, samples) -> figures.add(new Figure(stage.name(), "ms", samples, stage.note())));
        sampler.rss().forEach((name, samples) -> figures.add(new Figure(name + " RSS", "MiB", samples,
                "sampled every 500 ms; max is the peak")));
        sampler.cpu().forEach((name, samples) -> figures.add(new Figure(name + " CPU", "% of a core", samples,
                "per 500 ms; max is the peak")));
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "%d of %d LIVE; overhead p50 %.0f ms, p99 %.0f ms (goal: all LIVE, p99 ≤ 3 s: %s).",
                live, count, Stats.of(overhead).median(), Stats.of(overhead).p99(),
                live == count && Stats.of(overhead).p99() <= 3000 && missing == 0 ? "met" : "not met"));
        incomplete.forEach(line -> notes.add("incomplete: " + line));
        failedReleases.forEach(line -> notes.add("not LIVE: " + line));
        return new Outcome(figures, notes);
    }

    /** The pids of the instances whose id (their service's name first) starts with the prefix. */
    static List<Long> instancePids(Path instances, String prefix) throws IOException {
        if (!Files.isDirectory(instances)) {
            return List.of();
        }
        List<Long> pids = Collections.synchronizedList(new ArrayList<>());
        try (Stream<Path> files = Files.list(instances)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(prefix)
                    && f.toString().endsWith(".pid")).toList()) {
                try {
                    pids.add(Long.parseLong(Files.readString(file).trim()));
                } catch (IOException | NumberFormatException e) {
                    // a pid file being written or removed: not counted
                }
            }
        }
        return pids;
    }
}
