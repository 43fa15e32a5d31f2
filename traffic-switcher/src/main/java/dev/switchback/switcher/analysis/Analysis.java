package dev.switchback.switcher.analysis;

import dev.switchback.events.AnalysisSpec;
import dev.switchback.events.Measurement;
import dev.switchback.switcher.router.EndpointStats;

import java.util.Locale;
import java.util.Optional;

/** Judges what green did over some time against the thresholds: pass, fail, or inconclusive with too few requests. */
public final class Analysis {

    private Analysis() {
    }

    /** The verdict when the metrics source has no data: inconclusive, never a pass. */
    public static Measurement noData(String endpoint, String route) {
        return new Measurement(endpoint, 0, 0, 0, 0, Measurement.INCONCLUSIVE,
                "no data: the metrics source measures nothing of " + endpoint + " on " + route);
    }

    /**
     * A fail verdict before the interval ends, when the evidence already decides it: at least {@code minRequests}
     * requests failed, and they alone break the maximum error rate of the whole interval even if every request still
     * to come in it succeeded, the rest arriving at the rate seen so far. A green that fails everything is so caught
     * after about {@code minRequests} failed requests instead of a whole interval of them; anything less clear waits
     * for the interval's end and its usual verdict. Only a fail is decided early: a pass needs the whole interval.
     *
     * @param elapsed the share of the interval gone by, 0..1
     */
    public static Optional<Measurement> early(String endpoint, EndpointStats sofar, AnalysisSpec thresholds,
                                              double elapsed) {
        if (sofar == null || elapsed <= 0 || sofar.requests() < thresholds.minRequests()
                || sofar.errors() < thresholds.minRequests()) {
            return Optional.empty();
        }
        double projectedRequests = sofar.requests() / Math.min(1.0, elapsed);
        if (sofar.errors() <= thresholds.maxErrorRate() * projectedRequests) {
            return Optional.empty();
        }
        double p99 = sofar.percentileMillis(0.99);
        return Optional.of(new Measurement(endpoint, sofar.requests(), sofar.errors(), sofar.errorRate(),
                Double.isInfinite(p99) ? Double.MAX_VALUE : p99, Measurement.FAIL, String.format(Locale.ROOT,
                "error rate %.3f (%d of %d) above the maximum %.3f, decided %.0f %% into the interval: the %d errors"
                        + " exceed it even if the rest of the interval's requests succeed", sofar.errorRate(),
                sofar.errors(), sofar.requests(), thresholds.maxErrorRate(), elapsed * 100, sofar.errors())));
    }

    /** The verdict on green's requests over one interval (or a whole window). */
    public static Measurement judge(String endpoint, EndpointStats stats, AnalysisSpec thresholds) {
        EndpointStats seen = stats == null ? EndpointStats.EMPTY : stats;
        double errorRate = seen.errorRate();
        double p99 = seen.percentileMillis(0.99);
        String verdict;
        String reason;
        if (seen.requests() < thresholds.minRequests()) {
            verdict = Measurement.INCONCLUSIVE;
            reason = seen.requests() + " request(s), fewer than the " + thresholds.minRequests() + " needed to judge";
        } else if (errorRate > thresholds.maxErrorRate()) {
            verdict = Measurement.FAIL;
            reason = String.format(java.util.Locale.ROOT, "error rate %.3f (%d of %d) above the maximum %.3f",
                    errorRate, seen.errors(), seen.requests(), thresholds.maxErrorRate());
        } else if (p99 > thresholds.maxP99Millis()) {
            verdict = Measurement.FAIL;
            reason = String.format(java.util.Locale.ROOT, "p99 latency %.1f ms above the maximum %d ms over %d requests",
                    p99, thresholds.maxP99Millis(), seen.requests());
        } else {
            verdict = Measurement.PASS;
            reason = String.format(java.util.Locale.ROOT, "error rate %.3f, p99 %.1f ms over %d requests", errorRate, p99,
                    seen.requests());
        }
        return new Measurement(endpoint, seen.requests(), seen.errors(), errorRate,
                Double.isInfinite(p99) ? Double.MAX_VALUE : p99, verdict, reason);
    }
}
