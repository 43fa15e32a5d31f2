package dev.switchback.switcher.router;

import dev.switchback.infra.Ports;
import dev.switchback.infra.Processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Benchmark of the routers between two sample-app processes: failed requests and time to a verified switch over
 * many cutovers and rollbacks under load, then throughput and latency through each router and straight to the
 * backend. Prints markdown. Run by {@code benchmarks/router-switch.sh}.
 * <p>
 * Arguments: sample-app jar, [seconds of throughput load = 10], [throughput clients = 8], [switch round trips = 100].
 */
public final class RouterSwitchBenchmark {

    private static final String ROUTE = "bench.local";
    private static final int SWITCH_CLIENTS = 4;
    private static final long PAUSE_MILLIS = 20;

    private RouterSwitchBenchmark() {
    }

    /** What one driver did: switch times (ms, sorted) and the load seen while switching, then throughput. */
    private record Row(String name, double[] switchMillis, Load.Result underSwitches, Load.Result throughput) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: RouterSwitchBenchmark <sample-app.jar> [seconds=10] [clients=8] [round-trips=100]");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        Duration duration = Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 10);
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int roundTrips = args.length > 3 ? Integer.parseInt(args[3]) : 100;

        Path work = Files.createTempDirectory("router-bench");
        // nginx started as root runs workers as nobody, who must reach its temp directories.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Instance blue = Instance.start(jar, "1.0.0", work);
        Instance green = Instance.start(jar, "2.0.0", work);
        List<Row> rows = new ArrayList<>();
        Load.Result direct;
        try {
            Set<String> versions = Set.of(blue.version(), green.version());
            // Warm the backends' JIT before anything is measured.
            run(blue.port(), clients, Duration.ofSeconds(3), versions);
            for (String name : List.of("embedded", "nginx")) {
                rows.add(measure(name, work.resolve(name), blue, green, clients, duration, roundTrips, versions));
            }
            direct = run(blue.port(), clients, duration, versions);
        } finally {
            blue.stop();
            green.stop();
        }
        print(rows, direct, clients, duration, roundTrips);
    }

    private static Row measure(String name, Path work, Instance blue, Instance green, int clients, Duration duration,
                               int roundTrips, Set<String> versions) throws Exception {
        System.err.printf("%s: %d round trips under %d clients, then %s of %d clients%n", name, roundTrips,
                SWITCH_CLIENTS, duration, clients);
        try (TestRouters.Driver driver = TestRouters.driver(name, work)) {
            Router router = driver.router();
            int port = Ports.free();
            router.ensureRoute(ROUTE, TestRouters.at(port));
            router.route(ROUTE, blue.endpoint());
            run(port, clients, Duration.ofSeconds(3), versions);

            Load load = Load.start(port, "/version", SWITCH_CLIENTS, versions);
            double[] switches = new double[roundTrips * 2];
            for (int i = 0; i < switches.length; i++) {
                Instance target = i % 2 == 0 ? green : blue;
                switches[i] = switchTo(router, port, target);
                Thread.sleep(PAUSE_MILLIS);
            }
            Load.Result underSwitches = load.stop();
            Arrays.sort(switches);

            Load.Result throughput = run(port, clients, duration, versions);
            return new Row(name, switches, underSwitches, throughput);
        }
    }

    /** Milliseconds from the decision to switch to the router reporting the target alone and a new request reaching it. */
    private static double switchTo(Router router, int port, Instance target) throws IOException, InterruptedException {
        long start = System.nanoTime();
        router.route(ROUTE, target.endpoint());
        long deadline = start + Duration.ofSeconds(10).toNanos();
        while (!router.weights(ROUTE).equals(Map.of(target.endpoint(), 100))
                || !KeepAliveClient.getOnce(port, "/version").body().equals(target.version())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the router does not serve " + target.endpoint() + " 10 s after the switch");
            }
            Thread.sleep(1);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static Load.Result run(int port, int clients, Duration duration, Set<String> versions) throws InterruptedException {
        Load load = Load.start(port, "/version", clients, versions);
        Thread.sleep(duration.toMillis());
        return load.stop();
    }

    private static void print(List<Row> rows, Load.Result direct, int clients, Duration duration, int roundTrips) {
        System.out.printf(Locale.ROOT, "%n%d cutovers + %d rollbacks under %d keep-alive clients (GET /version):%n%n",
                roundTrips, roundTrips, SWITCH_CLIENTS);
        System.out.println("| router | requests | failed | sent again on a closed keep-alive connection "
                + "| switch → verified ms: median | p99 | max |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "| %s | %,d | %d | %d | %.1f | %.1f | %.1f |%n", row.name(),
                    row.underSwitches().requests(), row.underSwitches().failed(), row.underSwitches().retries(),
                    percentile(row.switchMillis(), 0.5), percentile(row.switchMillis(), 0.99),
                    row.switchMillis()[row.switchMillis().length - 1]);
        }
        System.out.printf(Locale.ROOT, "%nThroughput, %d keep-alive clients for %d s (GET /version):%n%n", clients,
                duration.toSeconds());
        System.out.println("| target | requests/s | p50 ms | p99 ms | failed |");
        System.out.println("|---|---|---|---|---|");
        for (Row row : rows) {
            printThroughput(row.name() + " router", row.throughput());
        }
        printThroughput("backend directly", direct);
        rows.forEach(row -> row.underSwitches().failures().forEach(f -> System.out.println(row.name() + " failure: " + f)));
    }

    private static void printThroughput(String target, Load.Result result) {
        System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %.2f | %d |%n", target, result.perSecond(),
                result.percentileMillis(0.5), result.percentileMillis(0.99), result.failed());
    }

    private static double percentile(double[] sorted, double share) {
        return sorted[Math.max(0, (int) Math.ceil(share * sorted.length) - 1)];
    }

    /** A sample-app process. */
    private record Instance(String version, int port, Process process) {

        static Instance start(Path jar, String version, Path work) throws IOException, InterruptedException {
            int port = Ports.free();
            // sample-app serves with the JDK's HttpServer, which otherwise leaves Nagle on: each answer on a
            // kept-alive connection would wait ~40 ms for a delayed ACK, through any router and directly alike.
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dsun.net.httpserver.nodelay=true", "-jar", jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("sample-app-" + version + ".log").toFile());
            builder.environment().put("SERVICE_VERSION", version);
            builder.environment().put("PORT", Integer.toString(port));
            Process process = builder.start();
            Ports.awaitListening("sample-app " + version, process, port, Duration.ofSeconds(30));
            return new Instance(version, port, process);
        }

        String endpoint() {
            return "http://127.0.0.1:" + port;
        }

        void stop() {
            Processes.stop(process.toHandle(), Duration.ofSeconds(5));
        }
    }

    static {
        // The routers log every switch; 200 of them would bury the table.
        System.setProperty("org.jboss.logging.provider", "jdk");
        java.util.logging.Logger.getLogger("dev.switchback").setLevel(java.util.logging.Level.WARNING);
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    }
}
