package dev.switchback.switcher.analysis;

import dev.switchback.events.AnalysisSpec;
import dev.switchback.events.Measurement;
import dev.switchback.switcher.router.EndpointStats;
import dev.switchback.switcher.router.LatencyHistogram;
import org.junit.jupiter.api.Test;

import java.util.Optional;

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
    void shouldDecideEarlyOnlyWhatTheIntervalsEndWouldAlsoFail() {
        for (long requests = 5; requests <= 400; requests += 7) {
            for (long errors = 0; errors <= requests; errors += 3) {
                for (double elapsed = 0.05; elapsed < 1.0; elapsed += 0.15) {
                    Optional<Measurement> early = Analysis.early("green", stats(requests, errors), THRESHOLDS, elapsed);
                    if (early.isEmpty()) {
                        continue;
                    }
                    // The rest of the interval at the same rate, every request of it a success.
                    long whole = Math.round(requests / elapsed);
                    Measurement atEnd = Analysis.judge("green", stats(whole, errors), THRESHOLDS);
                    assertThat(atEnd.verdict()).as("%d of %d failed after %.2f", errors, requests, elapsed)
                            .isEqualTo(Measurement.FAIL);
                }
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
