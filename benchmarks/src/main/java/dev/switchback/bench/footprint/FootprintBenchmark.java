package dev.switchback.bench.footprint;

import dev.switchback.bench.Bench;
import dev.switchback.bench.Benchmark;
import dev.switchback.bench.Figure;
import dev.switchback.bench.Params;
import dev.switchback.bench.ProcSampler;
import dev.switchback.bench.fleet.FleetBenchmark;
import dev.switchback.infra.suite.Suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each service's start-up time and idle RSS under two sets of JVM settings, A (the suite's current ones) and B (a
 * candidate), taken in turn in the same run (A B, then B A, …) so the machine's other load weighs on both alike.
 * Start-up is measured twice: Quarkus' own "started in" and the wall time from the start of the process to the
 * first 200 of its readiness check (polled every 250 ms).
 */
public final class FootprintBenchmark implements Benchmark {

    /**
     * TUNED: the candidate for a small machine, what {@code ./suite up} runs the services with: a heap cap half the
     * former one (the services use well under it), a smaller code cache, metaspace cap and thread stacks, one JIT
     * compiler thread (C1 only anyway).
     */
    public static final String TUNED = "-Xmx192m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
            + "-XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=160m -XX:CICompilerCount=1";

    private static final Pattern STARTED = Pattern.compile("started in ([0-9.]+)s");

    @Override
    public String name() {
        return "footprint";
    }

    @Override
    public String title() {
        return "Footprint: start-up and idle RSS of each service, JVM settings A/B";
    }

    @Override
    public Outcome run(Bench bench, Params params) throws Exception {
        String a = params.text("jvmA", Suite.JVM_OPTIONS);
        String b = params.text("jvmB", TUNED);
        int rounds = params.integer("rounds", 2);
        int settle = params.integer("settleSeconds", 10);
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            List<String> order = round % 2 == 0 ? List.of("A", "B") : List.of("B", "A");
            for (String label : order) {
                System.setProperty("switchback.suite.jvm", label.equals("A") ? a : b);
                double total = 0;
                for (String service : FleetBenchmark.SERVICES) {
                    bench.suite().kill(service);
                    long started = System.nanoTime();
                    bench.suite().restart(service);
                    add(samples, "wall start-up " + service + " [" + label + "]", (System.nanoTime() - started) / 1e6);
                    add(samples, "Quarkus start-up " + service + " [" + label + "]", quarkusStartup(bench, service));
                }
                Bench.pause(Duration.ofSeconds(settle));
                for (String service : FleetBenchmark.SERVICES) {
                    double rss = ProcSampler.rssMiB(bench.pid(service));
                    total += rss;
                    add(samples, "idle RSS " + service + " [" + label + "]", rss);
                }
                add(samples, "idle RSS, four services [" + label + "]", total);
            }
        }
        System.clearProperty("switchback.suite.jvm");
        for (String service : FleetBenchmark.SERVICES) {
            bench.suite().kill(service);
            bench.suite().restart(service);
        }
        List<Figure> figures = new ArrayList<>();
        samples.forEach((name, values) -> figures.add(new Figure(name, name.contains("RSS") ? "MiB" : "ms", values,
                name.startsWith("wall") ? "process start → ready (250 ms polls)" : name.startsWith("Quarkus")
                        ? "the service's own \"started in\"" : settle + " s after start, VmRSS")));
        return new Outcome(figures, List.of("A: `" + a + "`", "B: `" + b + "`"));
    }

    private static void add(Map<String, List<Double>> samples, String name, double value) {
        samples.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    /** The last "started in N s" of the service's log, in ms. */
    private static double quarkusStartup(Bench bench, String service) throws IOException {
        Path log = bench.suite().config().logs().resolve(service + ".log");
        Matcher matcher = STARTED.matcher(Files.readString(log));
        double last = 0;
        while (matcher.find()) {
            last = Double.parseDouble(matcher.group(1)) * 1000;
        }
        return last;
    }
}
