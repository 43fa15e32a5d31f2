package dev.switchback.switcher.metrics.prometheus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One color's three series sets read as of one scrape. The three queries share an evaluation time, yet a scrape whose
 * timestamp is before it can still be committed between two of them: the requests would then be read from one scrape
 * and the errors from the next, so that a green failing every request has more errors than requests and a rate above
 * 100 %. Prometheus commits each scrape of a target at once, so the requests are read again after the other two:
 * when the two readings agree, nothing was committed in between that changed them, and the three describe the same
 * scrapes. Otherwise the reading is made again, a few times at most (a scrape is rarely committed twice in a few
 * milliseconds); the last one is kept even if it still disagrees, and the caller bounds errors by requests.
 */
record Snapshot(List<PrometheusClient.Sample> requests, List<PrometheusClient.Sample> errors,
                List<PrometheusClient.Sample> buckets, int attempts) {

    /** How many times a reading is made before the last one is kept as it is. */
    static final int MAX_ATTEMPTS = 3;

    /** One query at the reading's evaluation time. */
    @FunctionalInterface
    interface Query {
        List<PrometheusClient.Sample> run(String promql) throws PrometheusClient.QueryFailed;
    }

    static Snapshot of(PromQl.Queries queries, Query query) throws PrometheusClient.QueryFailed {
        List<PrometheusClient.Sample> requests = query.run(queries.requests());
        for (int attempt = 1; ; attempt++) {
            List<PrometheusClient.Sample> errors = query.run(queries.errors());
            List<PrometheusClient.Sample> buckets = query.run(queries.latencyBuckets());
            List<PrometheusClient.Sample> again = query.run(queries.requests());
            if (values(again).equals(values(requests)) || attempt == MAX_ATTEMPTS) {
                return new Snapshot(again, errors, buckets, attempt);
            }
            requests = again;
        }
    }

    private static Map<Map<String, String>, Double> values(List<PrometheusClient.Sample> samples) {
        Map<Map<String, String>, Double> values = new HashMap<>();
        samples.forEach(sample -> values.put(sample.labels(), sample.value()));
        return values;
    }
}
