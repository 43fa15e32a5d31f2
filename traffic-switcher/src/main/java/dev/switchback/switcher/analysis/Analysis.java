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
     * How rarely a green whose error rate is at or under the maximum is failed early by {@link #grosslyFailing}: at
     * most once in this many intervals, however often the loop looks (Ville's inequality for the likelihood ratio).
     */
    static final double FALSE_ALARM = 1e-4;

    /**
     * A fail verdict before the interval ends, when the evidence already decides it. Either of two rules, and only
     * once at least {@code minRequests} requests failed:
     * <ul>
     * <li><b>the count</b>: the errors alone break the maximum error rate of the whole interval even if every request
     * still to come in it succeeded, the rest arriving at the rate seen so far;</li>
     * <li><b>the odds</b> ({@link #grosslyFailing}): the errors are so dense that a green failing at the maximum rate
     * or under it would produce them in fewer than {@link #FALSE_ALARM} of its intervals. This is what catches a green
     * that fails everything after about {@code minRequests} failed requests instead of a twentieth of an interval of
     * them. It judges a burst of failures at an interval's start too, which the interval's average might have
     * excused: those greens are switched back, on the safe side.</li>
     * </ul>
     * Anything less clear waits for the interval's end and its usual verdict. Only a fail is decided early: a pass
     * needs the whole interval.
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
        String why;
        if (sofar.errors() > thresholds.maxErrorRate() * projectedRequests) {
            why = "the " + sofar.errors() + " errors exceed it even if the rest of the interval's requests succeed";
        } else if (grosslyFailing(sofar.requests(), sofar.errors(), thresholds.maxErrorRate())) {
            why = String.format(Locale.ROOT, "a green failing at %.3f or less would fail this densely in fewer than"
                    + " 1 of %,.0f intervals", thresholds.maxErrorRate(), 1 / FALSE_ALARM);
        } else {
            return Optional.empty();
        }
        double p99 = sofar.percentileMillis(0.99);
        return Optional.of(new Measurement(endpoint, sofar.requests(), sofar.errors(), sofar.errorRate(),
                Double.isInfinite(p99) ? Double.MAX_VALUE : p99, Measurement.FAIL, String.format(Locale.ROOT,
                "error rate %.3f (%d of %d) above the maximum %.3f, decided %.0f %% into the interval: %s",
                sofar.errorRate(), sofar.errors(), sofar.requests(), thresholds.maxErrorRate(), elapsed * 100, why)));
    }

    /**
     * Wald's sequential probability ratio test of "green fails at the maximum rate" ({@code p0}) against "green is
     * broken" ({@code p1}, halfway from the maximum to every request): true once the likelihood ratio of the
     * requests so far reaches {@code 1 / FALSE_ALARM}. The ratio is a martingale while green fails at {@code p0} or
     * less, so it gets there with probability at most {@link #FALSE_ALARM} over a whole interval, read at every tick
     * or at every request. A green failing a little above the maximum drifts the other way and waits for the
     * interval's verdict; one failing everything gets there after {@code ln(1/FALSE_ALARM) / ln(p1/p0)} errors (4 at
     * a maximum of 5 %).
     */
    static boolean grosslyFailing(long requests, long errors, double maxErrorRate) {
        if (maxErrorRate <= 0) {
            // Any error breaks a maximum of zero: the count rule above decides those.
            return false;
        }
        if (maxErrorRate >= 1) {
            return false;
        }
        double p1 = (1 + maxErrorRate) / 2;
        double logRatio = errors * Math.log(p1 / maxErrorRate) + (requests - errors) * Math.log((1 - p1) / (1 - maxErrorRate));
        return logRatio >= Math.log(1 / FALSE_ALARM);
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

    /**
     * The interval's verdict held against blue's over the same interval: a pass becomes a fail when green's error rate
     * is above blue's by more than the margin. Blue with fewer than {@code minRequests} requests (an all-at-once
     * cutover leaves it none) cannot be compared: the verdict stands on the thresholds alone and says so.
     */
    public static Measurement againstBlue(Measurement green, EndpointStats greenStats, EndpointStats blue,
                                          AnalysisSpec thresholds) {
        if (!Measurement.PASS.equals(green.verdict())) {
            return green;
        }
        if (blue == null || blue.requests() < thresholds.minRequests()) {
            return new Measurement(green.endpoint(), green.requests(), green.errors(), green.errorRate(),
                    green.p99Millis(), green.verdict(), green.reason() + "; blue served "
                    + (blue == null ? "no measured" : String.valueOf(blue.requests())) + " request(s), too few to compare");
        }
        double margin = thresholds.maxErrorRateOverBlue();
        if (greenStats.errorRate() > blue.errorRate() + margin) {
            return new Measurement(green.endpoint(), green.requests(), green.errors(), green.errorRate(),
                    green.p99Millis(), Measurement.FAIL, String.format(Locale.ROOT,
                    "error rate %.3f (%d of %d) above blue's %.3f (%d of %d) by more than %.3f", greenStats.errorRate(),
                    greenStats.errors(), greenStats.requests(), blue.errorRate(), blue.errors(), blue.requests(), margin));
        }
        return new Measurement(green.endpoint(), green.requests(), green.errors(), green.errorRate(), green.p99Millis(),
                green.verdict(), green.reason() + String.format(Locale.ROOT, "; blue's error rate %.3f over %d requests",
                blue.errorRate(), blue.requests()));
    }
}
