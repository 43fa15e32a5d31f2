package dev.switchback.events;

/**
 * What green is held to while it is analysed; each interval is judged on its own requests.
 *
 * @param intervalMillis how often green is judged; default 1000
 * @param maxErrorRate   highest share of 5xx or unanswered requests that passes, 0..1; default 0.05
 * @param maxP99Millis   highest p99 latency that passes, in milliseconds; default 1000
 * @param minRequests    fewest requests an interval needs to be judged at all; below it the interval is
 *                       inconclusive, which is never a pass; default 5
 * @param probe          synthetic requests sent through the router while analysis runs; null for none
 * @param metrics        where green's numbers come from; null for the router's own counters
 * @param maxErrorRateOverBlue when set, green also fails an interval whose error rate is above blue's over the same
 *                       interval by more than this margin (0..1), as long as blue served enough requests to compare
 *                       (a canary step; after an all-at-once cutover blue serves none, and only the thresholds apply)
 */
public record AnalysisSpec(Integer intervalMillis, Double maxErrorRate, Integer maxP99Millis, Integer minRequests,
                           ProbeSpec probe, MetricsSpec metrics, Double maxErrorRateOverBlue) {

    /** Thresholds and probe, green measured by the router, no comparison with blue. */
    public AnalysisSpec(Integer intervalMillis, Double maxErrorRate, Integer maxP99Millis, Integer minRequests,
                        ProbeSpec probe) {
        this(intervalMillis, maxErrorRate, maxP99Millis, minRequests, probe, null, null);
    }

    /** The spec with every missing setting at its default. */
    public static AnalysisSpec withDefaults(AnalysisSpec spec) {
        AnalysisSpec given = spec == null ? new AnalysisSpec(null, null, null, null, null) : spec;
        return new AnalysisSpec(given.intervalMillis == null ? 1000 : given.intervalMillis,
                given.maxErrorRate == null ? 0.05 : given.maxErrorRate,
                given.maxP99Millis == null ? 1000 : given.maxP99Millis,
                given.minRequests == null ? 5 : given.minRequests, given.probe, given.metrics,
                given.maxErrorRateOverBlue);
    }

    /** Where the numbers come from: the spec's, or the router's counters. */
    public MetricsSpec metricsOrDefault() {
        return metrics == null ? MetricsSpec.ROUTER : metrics;
    }

    /**
     * Synthetic traffic, for when real traffic is too thin to judge green.
     *
     * @param path      path called through the router, e.g. {@code /health}
     * @param perSecond requests per second
     */
    public record ProbeSpec(String path, int perSecond) {
    }
}
