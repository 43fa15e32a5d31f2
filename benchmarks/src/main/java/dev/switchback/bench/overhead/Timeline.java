package dev.switchback.bench.overhead;

import dev.switchback.bench.Bench;
import dev.switchback.bench.EventLog;

import java.time.Instant;
import java.util.List;

/**
 * Where one release's time went, from the events' own timestamps: the request, each stage, green's start-up as the
 * deployer measured it (green-deploying → green-ready), and the cutover. Overhead is everything but that start-up.
 *
 * @param requested  requested: when the benchmark sent {@code POST /releases}
 * @param events     events: the release's events up to traffic.cutover-completed, as the log read them
 */
public record Timeline(Instant requested, List<EventLog.Seen> events) {

    /** The events of a release, up to its cutover, from the log. */
    public static Timeline of(Instant requested, EventLog log, String releaseId) {
        List<EventLog.Seen> events = log.of(releaseId);
        int cut = 0;
        while (cut < events.size() && !events.get(cut).type().equals("traffic.cutover-completed")) {
            cut++;
        }
        return new Timeline(requested, events.subList(0, Math.min(events.size(), cut + 1)));
    }

    public Instant at(String type) {
        return events.stream().filter(e -> e.type().equals(type)).map(EventLog.Seen::time).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + type + " among " + events.stream().map(EventLog.Seen::type).toList()));
    }

    /** POST → traffic.cutover-completed, ms. */
    public double total() {
        return Bench.millis(requested, at("traffic.cutover-completed"));
    }

    /** green-deploying → green-ready, ms: green's own start-up, with the deployer's health checks. */
    public double startup() {
        return Bench.millis(at("deployment.green-deploying"), at("deployment.green-ready"));
    }

    public double overhead() {
        return total() - startup();
    }

    public double between(String from, String to) {
        return Bench.millis(at(from), at(to));
    }

    /**
     * The Kafka hops on the path to the cutover: how often the next event on it was recorded by another service
     * than the one before (each such hand-over is one produce → consume), counted from the events themselves.
     */
    public int hops() {
        List<String> path = List.of("release.started", "migration.skipped", "deployment.green-ready",
                "traffic.cutover-completed");
        int hops = 0;
        String source = null;
        for (String type : path) {
            String next = events.stream().filter(e -> e.type().equals(type)).map(EventLog.Seen::source).findFirst().orElse(null);
            if (source != null && next != null && !next.equals(source)) {
                hops++;
            }
            source = next;
        }
        return hops;
    }
}
