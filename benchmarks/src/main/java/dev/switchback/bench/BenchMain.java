package dev.switchback.bench;

import dev.switchback.bench.api.ApiBenchmark;
import dev.switchback.bench.fleet.FleetBenchmark;
import dev.switchback.bench.footprint.FootprintBenchmark;
import dev.switchback.bench.overhead.OverheadBenchmark;
import dev.switchback.bench.rollback.RollbackBenchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./suite bench [NAME...]}: starts the packaged suite on free ports, runs the named benchmarks (all when none
 * is named) one after the other against it, writes each result to {@code benchmarks/results/<name>.json} and the
 * tables of every result into {@code BENCHMARKS.md}. {@code -Dbench.results=DIR} and {@code -Dbench.markdown=FILE}
 * write elsewhere (the smoke test does).
 */
public final class BenchMain {

    /** ALL: every benchmark, in the order a full run takes them (the fleet's load is measured by footprint too). */
    static final List<Benchmark> ALL = List.of(new OverheadBenchmark(), new RollbackBenchmark(), new ApiBenchmark(),
            new FleetBenchmark(), new FootprintBenchmark());

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("switchback.root", "")).toAbsolutePath().normalize();
        List<Result> results = run(root, List.of(args));
        for (Result result : results) {
            System.out.println(Report.markdown(List.of(result)));
        }
        System.exit(0);
    }

    /** Runs the named benchmarks against one suite; writes the JSON and the markdown; returns the results. */
    public static List<Result> run(Path root, List<String> names) throws Exception {
        List<Benchmark> chosen = new ArrayList<>();
        for (String name : names) {
            chosen.add(ALL.stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("no benchmark " + name + "; there are " + ALL.stream().map(Benchmark::name).toList())));
        }
        if (chosen.isEmpty()) {
            chosen.addAll(ALL);
        }
        Path dir = Path.of(System.getProperty("bench.results", root.resolve("benchmarks/results").toString()));
        Path markdown = Path.of(System.getProperty("bench.markdown", root.resolve("BENCHMARKS.md").toString()));
        List<Result> results = new ArrayList<>();
        log("starting the suite");
        try (Bench bench = Bench.start(root)) {
            for (Benchmark benchmark : chosen) {
                log("running " + benchmark.name() + ": " + benchmark.title());
                Map<String, Object> machine = new LinkedHashMap<>(Machine.describe(root));
                Instant started = Instant.now();
                Params params = new Params();
                Benchmark.Outcome outcome = benchmark.run(bench, params);
                machine.put("loadAfter", Machine.loadAverage());
                machine.put("seconds", Duration.between(started, Instant.now()).toSeconds());
                Result result = new Result(benchmark.name(), benchmark.title(), command(benchmark, params), machine,
                        params.ordered(), outcome.figures(), outcome.notes());
                log("wrote " + Report.write(dir, result));
                results.add(result);
            }
        }
        Report.render(markdown, Report.readAll(dir));
        log("tables written to " + markdown);
        return results;
    }

    private static String command(Benchmark benchmark, Params params) {
        StringBuilder command = new StringBuilder("./suite bench");
        params.ordered().forEach((k, v) -> {
            String value = String.valueOf(v);
            command.append(" -Dbench.").append(k).append('=').append(value.contains(" ") ? "'" + value + "'" : value);
        });
        return command.append(' ').append(benchmark.name()).toString();
    }

    public static void log(String message) {
        System.out.println("[bench " + Instant.now() + "] " + message);
    }
}
