package dev.switchback.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Order statistics of a figure's samples. Percentiles are nearest-rank: the p99 of 100 samples is the 99th
 * smallest, so with fewer than 100 samples it is the largest — an honest upper figure, never interpolated.
 *
 * @param n      n: how many samples
 * @param median median: the p50
 * @param p99    p99: nearest-rank 99th percentile
 * @param min    min: the smallest sample
 * @param max    max: the largest sample
 * @param mean   mean: the arithmetic mean
 */
public record Stats(int n, double median, double p99, double min, double max, double mean) {

    /** The statistics of the samples; all zero for none. */
    public static Stats of(List<Double> samples) {
        if (samples.isEmpty()) {
            return new Stats(0, 0, 0, 0, 0, 0);
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        double sum = 0;
        for (double sample : sorted) {
            sum += sample;
        }
        return new Stats(sorted.size(), percentile(sorted, 50), percentile(sorted, 99), sorted.get(0),
                sorted.get(sorted.size() - 1), sum / sorted.size());
    }

    /** The nearest-rank percentile of sorted samples. */
    static double percentile(List<Double> sorted, double percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
