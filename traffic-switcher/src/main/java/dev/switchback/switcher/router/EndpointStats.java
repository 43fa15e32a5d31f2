package dev.switchback.switcher.router;

import java.util.Arrays;

/**
 * Counters of the requests a router sent to one endpoint: how many, how many failed (5xx, or no answer), and their
 * latency as a histogram with fixed bucket bounds, so two readings subtract into an interval.
 *
 * @param requests requests answered or failed
 * @param errors   requests answered 5xx or not answered at all
 * @param buckets  request count per latency bucket, bounds in {@link LatencyHistogram#BOUNDS_MICROS}
 */
public record EndpointStats(long requests, long errors, long[] buckets) {

    /** No requests yet. */
    public static final EndpointStats EMPTY = new EndpointStats(0, 0, new long[LatencyHistogram.BOUNDS_MICROS.length + 1]);

    /** What happened between an earlier reading and this one. */
    public EndpointStats minus(EndpointStats earlier) {
        long[] delta = new long[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            delta[i] = buckets[i] - (earlier == null ? 0 : earlier.buckets[i]);
        }
        return earlier == null ? this : new EndpointStats(requests - earlier.requests, errors - earlier.errors, delta);
    }

    /** The share of requests that failed; 0 with no requests. */
    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    /** The latency under which the given share (0..1) of requests completed, in milliseconds: a bucket's upper bound. */
    public double percentileMillis(double share) {
        long total = Arrays.stream(buckets).sum();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(share * total);
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                return i < LatencyHistogram.BOUNDS_MICROS.length ? LatencyHistogram.BOUNDS_MICROS[i] / 1000.0
                        : Double.POSITIVE_INFINITY;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EndpointStats that && requests == that.requests && errors == that.errors
                && Arrays.equals(buckets, that.buckets);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(requests) + 17 * Long.hashCode(errors) + Arrays.hashCode(buckets);
    }

    @Override
    public String toString() {
        return "EndpointStats[requests=" + requests + ", errors=" + errors + ", p99=" + percentileMillis(0.99) + "ms]";
    }
}
