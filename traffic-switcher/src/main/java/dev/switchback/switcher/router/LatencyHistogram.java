package dev.switchback.switcher.router;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free recorder of one endpoint's requests: counts, failures and latency in buckets growing by about 20 %
 * from 0.1 ms to 2 minutes, so a p99 read from it is within one bucket (≤ 20 %) of the truth.
 */
public final class LatencyHistogram {

    /** BOUNDS_MICROS: upper bound of each bucket in microseconds; one more bucket holds everything slower. */
    public static final long[] BOUNDS_MICROS = bounds();

    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS_MICROS.length + 1);

    private static long[] bounds() {
        java.util.List<Long> bounds = new java.util.ArrayList<>();
        double bound = 100;
        while (bound < 120_000_000) {
            bounds.add(Math.round(bound));
            bound *= 1.2;
        }
        return bounds.stream().mapToLong(Long::longValue).toArray();
    }

    /** Records one request: how long it took and whether it failed. */
    public void record(long micros, boolean error) {
        requests.increment();
        if (error) {
            errors.increment();
        }
        buckets.incrementAndGet(bucket(micros));
    }

    /** The index of the bucket a latency in microseconds falls in: the first whose bound is not below it. */
    public static int bucket(long micros) {
        int low = 0;
        int high = BOUNDS_MICROS.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (BOUNDS_MICROS[mid] < micros) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The counters so far. */
    public EndpointStats snapshot() {
        long[] copy = new long[buckets.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = buckets.get(i);
        }
        return new EndpointStats(requests.sum(), errors.sum(), copy);
    }
}
