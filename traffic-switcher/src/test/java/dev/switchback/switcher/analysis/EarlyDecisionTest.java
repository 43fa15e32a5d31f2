package dev.switchback.switcher.analysis;

import dev.switchback.events.AnalysisSpec;
import dev.switchback.events.Measurement;
import dev.switchback.switcher.router.EndpointStats;
import dev.switchback.switcher.router.LatencyHistogram;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Which partial intervals analysis may fail before they end, and which must wait for the interval's verdict. */
class EarlyDecisionTest {

    /** At most 5 % errors, judged on at least 5 requests. */
    private static final AnalysisSpec THRESHOLDS = new AnalysisSpec(1000, 0.05, 1000, 5, null);

    @Test
    void shouldFailAGreenThatFailsEverythingOnceMinRequestsHaveFailed() {
        Optional<Measurement> early = Analysis.early("green", stats(5, 5), THRESHOLDS, 0.1);

        assertThat(early).hasValueSatisfying(m -> {
            assertThat(m.verdict()).isEqualTo(Measurement.FAIL);
            assertThat(m.errors()).isEqualTo(5);
            assertThat(m.reason()).contains("error rate 1.000").contains("10 % into the interval");
        });
    }

    @Test
    void shouldWaitWhileFewerThanMinRequestsHaveFailed() {
        assertThat(Analysis.early("green", stats(4, 4), THRESHOLDS, 0.5)).isEmpty();
        assertThat(Analysis.early("green", stats(40, 4), THRESHOLDS, 0.99)).isEmpty();
    }

    @Test
    void shouldWaitWhenTheRestOfTheIntervalCouldStillBringTheRateUnderTheMaximum() {
        // 6 errors of 20 requests after 2 % of the interval: at that rate the interval ends with 1,000 requests, and
        // 6 errors of 1,000 pass.
        assertThat(Analysis.early("green", stats(20, 6), THRESHOLDS, 0.02)).isEmpty();
        // The same errors after half the interval: at most 40 requests in all, and 6 of 40 fail whatever comes.
        assertThat(Analysis.early("green", stats(20, 6), THRESHOLDS, 0.5)).isPresent();
    }

    @Test
    void shouldFailAGreenThatFailsEverythingAfterAboutMinRequestsWhateverTheMaximum() {
        // The maximum error rate, and the failed requests after which a green failing everything is judged at worst:
        // minRequests up to 5 %, more the closer the maximum comes to failing everything.
        double[][] cases = {{0.001, 5}, {0.01, 5}, {0.05, 5}, {0.1, 6}, {0.2, 9}, {0.3, 12}, {0.5, 23}};
        for (double[] c : cases) {
            double max = c[0];
            AnalysisSpec thresholds = new AnalysisSpec(1000, max, 1000, 5, null);
            // 1 % into an interval, far too early for the count rule: the rest at that rate would be 100 times as many.
            long failed = 5;
            while (Analysis.early("green", stats(failed, failed), thresholds, 0.01).isEmpty()) {
                failed++;
            }
            assertThat(failed).as("failed requests before a green failing everything is judged, maximum %.3f", max)
                    .isLessThanOrEqualTo((long) c[1]);
        }
    }

    @Test
    void shouldFailABurstAtTheIntervalsStartThatItsAverageWouldExcuse() {
        // 12 of the first 20 requests failed, 2 % into the interval: at that rate 1,000 requests come, and 12 errors of
        // 1,000 pass; but a green failing at 5 % fails 12 of 20 in about 1 of 10^8 tries.
        assertThat(Analysis.early("green", stats(20, 12), THRESHOLDS, 0.02)).hasValueSatisfying(m ->
                assertThat(m.reason()).contains("would fail this densely in fewer than 1 of 10,000 intervals"));
    }

    @Test
    void shouldWaitForTheIntervalsVerdictWhenGreenFailsALittleAboveTheMaximum() {
        for (long requests = 5; requests <= 400; requests++) {
            long errors = Math.round(0.08 * requests);
            assertThat(Analysis.early("green", stats(requests, errors), THRESHOLDS, requests / 1000.0))
                    .as("%d of %d", errors, requests).isEmpty();
        }
        assertThat(Analysis.judge("green", stats(1000, 80), THRESHOLDS).verdict()).isEqualTo(Measurement.FAIL);
    }

    @Test
    void shouldFailEarlyOnlyWhenTheErrorsSoFarAreAboveTheMaximum() {
        for (long requests = 5; requests <= 400; requests += 7) {
            for (long errors = 0; errors <= requests; errors += 3) {
                for (double elapsed = 0.05; elapsed < 1.0; elapsed += 0.15) {
                    Optional<Measurement> early = Analysis.early("green", stats(requests, errors), THRESHOLDS, elapsed);
                    if (early.isEmpty()) {
                        continue;
                    }
                    // The rest of the interval failing at the same rate, the interval's end fails too.
                    assertThat((double) errors / requests).as("%d of %d failed after %.2f", errors, requests, elapsed)
                            .isGreaterThan(THRESHOLDS.maxErrorRate());
                    long whole = Math.round(requests / elapsed);
                    Measurement atEnd = Analysis.judge("green", stats(whole, Math.round(errors / elapsed)), THRESHOLDS);
                    assertThat(atEnd.verdict()).isEqualTo(Measurement.FAIL);
                }
            }
        }
    }

    /**
     * Simulated intervals of a green failing each request at random at the maximum rate, or at half of it, looked at
     * after every request (more often than any tick): the intervals failed early whose end would have passed are the
     * verdicts the early decision changed, and they must stay within its false-alarm rate.
     */
    @Test
    void shouldRarelyFailEarlyAGreenFailingAtOrUnderTheMaximum() {
        Random random = new Random(20261203);
        int intervals = 4000;
        int perInterval = 400;
        for (double max : new double[]{0.01, 0.05, 0.2}) {
            AnalysisSpec thresholds = new AnalysisSpec(1000, max, 1000, 5, null);
            for (double rate : new double[]{max, max / 2}) {
                int changed = 0;
                for (int i = 0; i < intervals; i++) {
                    long errors = 0;
                    boolean failedEarly = false;
                    for (int request = 1; request <= perInterval; request++) {
                        errors += random.nextDouble() < rate ? 1 : 0;
                        failedEarly |= request < perInterval && Analysis.early("green", stats(request, errors), thresholds,
                                (double) request / perInterval).isPresent();
                    }
                    boolean failsAtEnd = Analysis.judge("green", stats(perInterval, errors), thresholds).verdict()
                            .equals(Measurement.FAIL);
                    changed += failedEarly && !failsAtEnd ? 1 : 0;
                }
                // At most 1 in 10,000 expected: 0.4 of 4,000.
                assertThat(changed).as("verdicts changed, maximum %.2f, green failing at %.3f", max, rate)
                        .isLessThanOrEqualTo(3);
            }
        }
    }

    @Test
    void shouldNeverPassOrCallInconclusiveEarly() {
        assertThat(Analysis.early("green", stats(1000, 0), THRESHOLDS, 0.9)).isEmpty();
        assertThat(Analysis.early("green", stats(0, 0), THRESHOLDS, 0.9)).isEmpty();
        assertThat(Analysis.early("green", null, THRESHOLDS, 0.9)).isEmpty();
    }

    private static EndpointStats stats(long requests, long errors) {
        long[] buckets = new long[LatencyHistogram.BOUNDS_MICROS.length + 1];
        buckets[0] = requests;
        return new EndpointStats(requests, errors, buckets);
    }
}
