package dev.switchback.bench.overhead;

import dev.switchback.bench.Bench;
import dev.switchback.bench.Benchmark;
import dev.switchback.bench.Figure;
import dev.switchback.bench.Params;
import dev.switchback.bench.Specs;
import dev.switchback.bench.Stats;
import dev.switchback.infra.Ports;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Orchestration overhead: {@code POST /releases} → traffic.cutover-completed minus green's own start-up, one release
 * after the other of one service (bake 0, no migration, embedded router), optionally {@code pauseMillis} apart, beside
 * the same number of plain Kafka produce → consume hops on the same broker, one trip of them just before each release.
 */
public final class OverheadBenchmark implements Benchmark {

    static final String SERVICE = "bench-overhead";
    static final String ENVIRONMENT = "local";

    @Override
    public String name() {
        return "overhead";
    }

    @Override
    public String title() {
        return "Orchestration overhead beside the Kafka floor";
    }

    @Override
    public Outcome run(Bench bench, Params params) throws Exception {
        int releases = params.integer("releases", 100);
        int warmup = params.integer("warmup", 20);
        int pauseMillis = params.integer("pauseMillis", 0);
        bench.register(SERVICE, ENVIRONMENT, Specs.sample(bench.sampleJar(), "embedded", Ports.free(), 0, 1000, false));
        // The first release has no blue and starts cold, and the services' code is compiled as it first runs (C1 with one
        // compiler thread: the overhead of the first twenty releases is about twice that of the next); none of these
        // warm-up releases is counted, as a long-running suite's releases would not pay for them.
        Instant lastRequested = null;
        String last = null;
        for (int i = 0; i <= warmup; i++) {
            lastRequested = Instant.now();
            last = bench.release(SERVICE, ENVIRONMENT, "1.0." + i);
            bench.awaitEnd(last, Duration.ofMinutes(i == 0 ? 3 : 2));
        }
        // The floor has as many hops as a release has hand-overs, counted on the last warm-up release, and takes one
        // trip just before each measured release: side by side, in the state of the machine that release meets.
        int hopCount = Timeline.of(lastRequested, bench.events(), last).hops();
        try (KafkaFloor floor = KafkaFloor.open(bench.suite().config().kafkaBootstrap(), hopCount)) {
            return measure(bench, releases, pauseMillis, hopCount, floor);
        }
    }

    private Outcome measure(Bench bench, int releases, int pauseMillis, int hopCount, KafkaFloor floor) throws Exception {
        List<Double> total = new ArrayList<>();
        List<Double> startup = new ArrayList<>();
        List<Double> overhead = new ArrayList<>();
        List<Double> toStarted = new ArrayList<>();
        List<Double> migrator = new ArrayList<>();
        List<Double> deployer = new ArrayList<>();
        List<Double> blueChecked = new ArrayList<>();
        List<Double> spawned = new ArrayList<>();
        List<Double> switcher = new ArrayList<>();
        List<Integer> hops = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<Double> floorTrips = new ArrayList<>();
        for (int i = 1; i <= releases; i++) {
            Bench.pause(Duration.ofMillis(pauseMillis));
            floorTrips.add(floor.trip());
            Instant requested = Instant.now();
            String id = bench.release(SERVICE, ENVIRONMENT, "1." + i + ".0");
            bench.events().await(id, Duration.ofMinutes(2), "traffic.cutover-completed", "release.failed");
            String end = bench.awaitEnd(id, Duration.ofMinutes(2)).type();
            if (!end.equals("release.promoted")) {
                throw new IllegalStateException("release " + id + " ended " + end);
            }
            ids.add(id);
            Timeline timeline = Timeline.of(requested, bench.events(), id);
            total.add(timeline.total());
            startup.add(timeline.startup());
            overhead.add(timeline.overhead());
            toStarted.add(Bench.millis(requested, timeline.at("release.started")));
            migrator.add(timeline.between("release.started", "migration.skipped"));
            deployer.add(timeline.between("migration.skipped", "deployment.green-deploying"));
            blueChecked.add(timeline.between("migration.skipped", "deployment.blue-checked"));
            spawned.add(timeline.between("deployment.blue-checked", "deployment.green-deploying"));
            switcher.add(timeline.between("deployment.green-ready", "traffic.cutover-completed"));
            hops.add(timeline.hops());
        }
        if (mode(hops) != hopCount) {
            throw new IllegalStateException("the releases took " + mode(hops) + " hops, the warm-up's " + hopCount
                    + ": the floor beside them does not compare");
        }
        double ratio = Stats.of(overhead).median() / Stats.of(floorTrips).median();
        List<Figure> figures = new ArrayList<>(List.of(
                new Figure("overhead", "ms", overhead, "POST → cutover-completed minus green-deploying → green-ready"),
                new Figure("kafka floor", "ms", floorTrips, hopCount + " produce → consume hops between plain clients, same broker,"
                        + " one trip just before each release"),
                Figure.single("overhead / floor (medians)", "×", ratio, "goal ≤ 5×"),
                new Figure("POST → cutover-completed", "ms", total, "whole, green's start-up included"),
                new Figure("green start-up", "ms", startup, "green-deploying → green-ready (deployer's clock)"),
                new Figure("POST → release.started", "ms", toStarted, "release-api: request, transaction"),
                new Figure("release.started → migration.skipped", "ms", migrator, "hop 1 + migrator"),
                new Figure("migration.skipped → green-deploying", "ms", deployer, "hop 2 + blue check + process spawn"),
                new Figure("migration.skipped → blue-checked", "ms", blueChecked, "hop 2 + scope lock + blue's health check"),
                new Figure("blue-checked → green-deploying", "ms", spawned, "process spawn, instance row, audit entry"),
                new Figure("green-ready → cutover-completed", "ms", switcher, "hop 3 + router switch and verification"),
                Figure.single("hops", "count", hopCount, "hand-overs between services on the path, from the events' sources")));
        HopProfile.measure(bench.suite().config(), bench.events(), ids).forEach((name, samples) -> figures.add(
                new Figure(name, "ms", samples, HopProfile.how(name))));
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "Overhead median %.1f ms against a floor of %.1f ms for %d hops: %.1f× (goal ≤ 5×: %s).",
                Stats.of(overhead).median(), Stats.of(floorTrips).median(), hopCount, ratio, ratio <= 5 ? "met" : "not met"));
        return new Outcome(figures, notes);
    }

    private static int mode(List<Integer> values) {
        return values.stream().collect(java.util.stream.Collectors.groupingBy(v -> v, java.util.stream.Collectors.counting()))
                .entrySet().stream().max(java.util.Map.Entry.comparingByValue()).map(java.util.Map.Entry::getKey).orElse(0);
    }
}
