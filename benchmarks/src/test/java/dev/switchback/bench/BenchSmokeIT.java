package dev.switchback.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark harness run end to end with tiny sizes against the packaged suite: every benchmark writes its JSON,
 * the JSON reads back with real numbers (non-zero, in plausible ranges, counts that match what was asked), and the
 * markdown holds a table per benchmark. Not a measurement: a proof that {@code ./suite bench} measures.
 */
class BenchSmokeIT {

    private static final Path ROOT = Path.of(System.getProperty("switchback.root", "..")).toAbsolutePath().normalize();
    private static final Map<String, String> TINY = Map.ofEntries(
            Map.entry("bench.releases", "3"),
            Map.entry("bench.warmup", "1"),
            Map.entry("bench.rounds", "1"),
            Map.entry("bench.routers", "embedded"),
            Map.entry("bench.posts", "4"),
            Map.entry("bench.clients", "2"),
            Map.entry("bench.getSeconds", "2"),
            Map.entry("bench.services", "3"),
            Map.entry("bench.settleSeconds", "2"));

    @Test
    void shouldWriteRealFiguresForEveryBenchmarkWithTinySizes() throws Exception {
        Path out = ROOT.resolve("benchmarks/target/smoke");
        Path markdown = out.resolve("BENCHMARKS.md");
        Files.createDirectories(out);
        Files.writeString(markdown, "# Benchmarks\n\nhand-written text stays\n");
        TINY.forEach(System::setProperty);
        System.setProperty("bench.results", out.resolve("results").toString());
        System.setProperty("bench.markdown", markdown.toString());
        System.setProperty("bench.home", out.resolve("suite").toString());

        List<Result> results = BenchMain.run(ROOT, List.of());

        assertThat(results).extracting(Result::benchmark)
                .containsExactly("overhead", "rollback", "api", "fleet", "footprint");
        for (Result result : results) {
            Result read = Report.read(out.resolve("results/" + result.benchmark() + ".json"));
            assertThat(read.figures()).isNotEmpty();
            assertThat(read.machine()).containsKeys("cores", "ramGiB", "cpu", "commit", "date", "loadBefore");
            assertThat(((Number) read.machine().get("cores")).intValue()).isPositive();
        }
        Result overhead = Report.read(out.resolve("results/overhead.json"));
        assertThat(overhead.figure("overhead").samples()).hasSize(3)
                .allSatisfy(ms -> assertThat(ms).isBetween(1.0, 60_000.0));
        assertThat(overhead.figure("kafka floor").stats().median()).isBetween(0.05, 5_000.0);
        assertThat(overhead.figure("hops").samples()).containsExactly(3.0);
        assertThat(overhead.figure("green start-up").stats().median()).isPositive();

        Result rollback = Report.read(out.resolve("results/rollback.json"));
        // A green that fails every request is failed on at least minRequests (5) of them, and far fewer than a whole
        // bake's worth; its users' GETs are answered by blue meanwhile, and their POSTs, never sent twice, may fail.
        assertThat(rollback.figure("embedded: green's failed requests at the verdict").samples())
                .allSatisfy(failed -> assertThat(failed).isBetween(5.0, 2_000.0));
        assertThat(rollback.figure("embedded: failed requests per failing release").samples())
                .allSatisfy(failed -> assertThat(failed).isZero());
        assertThat(rollback.figure("embedded: failed POSTs per failing release").samples())
                .allSatisfy(failed -> assertThat(failed).isBetween(0.0, 2_000.0));
        assertThat(rollback.figure("embedded: failing green, cutover → rollback-completed").stats().median())
                .isBetween(1.0, 30_000.0);
        assertThat(rollback.figure("embedded: POST /rollback → rollback-completed").stats().median())
                .isBetween(0.1, 30_000.0);

        Result api = Report.read(out.resolve("results/api.json"));
        assertThat(api.figure("POST /releases").stats().median()).isPositive();
        assertThat(api.figure("GET /releases/{id}").stats().median()).isPositive();
        assertThat(api.figure("GET /releases/{id} latency").samples()).isNotEmpty();
        assertThat(api.figure("events end to end").stats().median()).isPositive();
        assertThat(api.figure("events per release").stats().min()).isGreaterThanOrEqualTo(6.0);

        Result fleet = Report.read(out.resolve("results/fleet.json"));
        assertThat(fleet.figure("releases LIVE (promoted)").samples()).containsExactly(3.0);
        assertThat(fleet.figure("events missing").samples()).containsExactly(0.0);
        assertThat(fleet.figure("overhead").samples()).hasSize(3);
        assertThat(fleet.figure("deployer RSS").stats().max()).isBetween(20.0, 4_096.0);
        assertThat(fleet.figure("sample-app instance RSS").samples()).hasSize(3)
                .allSatisfy(mib -> assertThat(mib).isBetween(5.0, 1_024.0));

        Result footprint = Report.read(out.resolve("results/footprint.json"));
        assertThat(footprint.figure("idle RSS release-api [A]").stats().median()).isBetween(20.0, 4_096.0);
        assertThat(footprint.figure("idle RSS release-api [B]").stats().median()).isBetween(20.0, 4_096.0);
        assertThat(footprint.figure("Quarkus start-up deployer [B]").stats().median()).isBetween(100.0, 300_000.0);

        String text = Files.readString(markdown);
        assertThat(text).contains("hand-written text stays", Report.START, Report.END,
                "(`overhead`)", "(`rollback`)", "(`api`)", "(`fleet`)", "(`footprint`)", "| overhead | ms | 3 |");
    }
}
