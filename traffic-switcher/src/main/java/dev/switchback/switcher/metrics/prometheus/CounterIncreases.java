package dev.switchback.switcher.metrics.prometheus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The increase of a set of counter series since the first reading, series by series: a value lower than the last
 * one is a restarted instance counting from zero again (Prometheus' own rule for {@code increase}); a series first
 * seen after the first reading is an instance that started since, all of whose count is new; a series that
 * vanished (a removed pod) keeps what it added. Unlike {@code increase()} over a range, nothing is extrapolated, so
 * readings are whole counts and never go down.
 */
final class CounterIncreases {

    private static final class Counter {
        double last;
        double added;
    }

    private final Map<Map<String, String>, Counter> counters = new HashMap<>();
    private boolean first = true;

    /** Takes in one reading and answers each series' increase so far. */
    Map<Map<String, String>, Double> add(List<PrometheusClient.Sample> samples) {
        for (PrometheusClient.Sample sample : samples) {
            if (Double.isNaN(sample.value())) {
                continue;
            }
            Counter counter = counters.get(sample.labels());
            if (counter == null) {
                counter = new Counter();
                counter.added = first ? 0 : sample.value();
                counters.put(sample.labels(), counter);
            } else if (sample.value() >= counter.last) {
                counter.added += sample.value() - counter.last;
            } else {
                counter.added += sample.value();
            }
            counter.last = sample.value();
        }
        first = false;
        Map<Map<String, String>, Double> added = new HashMap<>();
        counters.forEach((labels, counter) -> added.put(labels, counter.added));
        return added;
    }

    /** Whether any series was ever seen. */
    boolean seenAny() {
        return !counters.isEmpty();
    }

    /** The sum of every series' increase so far. */
    static double total(Map<Map<String, String>, Double> increases) {
        return increases.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
