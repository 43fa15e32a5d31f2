package dev.switchback.switcher.analysis;

import dev.switchback.events.Measurement;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The intervals analysis judged, per release, as numbers a dashboard charts: kept in memory on the replica that
 * analyses (the lease holder), bounded per release and in releases, and not published as events, so a bake of one
 * interval a second adds no traffic on the topics. A restarted switcher starts the chart again from its next interval.
 */
@ApplicationScoped
public class AnalysisHistory {

    /** PER_RELEASE: the newest intervals kept for one release (five minutes at one a second). */
    public static final int PER_RELEASE = 300;
    /** RELEASES: how many releases are remembered; the one judged longest ago is forgotten first. */
    public static final int RELEASES = 100;

    /**
     * One judged interval.
     *
     * @param at          when it was judged
     * @param window      the step or bake it belonged to: {@code CANARY/1}, {@code BAKING/0}
     * @param greenWeight green's share of the traffic meanwhile, 0..100
     * @param requests    requests green answered or failed in the interval
     * @param errors      of them, answered 5xx or not at all
     * @param errorRate   errors / requests
     * @param p99Millis   99th percentile latency in milliseconds
     * @param verdict     {@code pass}, {@code fail} or {@code inconclusive}
     * @param reason      why the verdict
     */
    public record Interval(Instant at, String window, int greenWeight, long requests, long errors, double errorRate,
                           double p99Millis, String verdict, String reason) {
    }

    private final Map<String, ArrayDeque<Interval>> byRelease = new LinkedHashMap<>(16, 0.75f, true);

    /** Keeps one judged interval of a release. */
    public synchronized void record(String releaseId, String window, int greenWeight, Measurement interval, Instant at) {
        ArrayDeque<Interval> intervals = byRelease.computeIfAbsent(releaseId, id -> new ArrayDeque<>());
        intervals.addLast(new Interval(at, window, greenWeight, interval.requests(), interval.errors(),
                interval.errorRate(), interval.p99Millis(), interval.verdict(), interval.reason()));
        while (intervals.size() > PER_RELEASE) {
            intervals.removeFirst();
        }
        while (byRelease.size() > RELEASES) {
            byRelease.remove(byRelease.keySet().iterator().next());
        }
    }

    /** The kept intervals of a release, oldest first; empty when none was judged here. */
    public synchronized List<Interval> of(String releaseId) {
        ArrayDeque<Interval> intervals = byRelease.get(releaseId);
        return intervals == null ? List.of() : List.copyOf(intervals);
    }
}
