package dev.switchback.switcher.metrics.prometheus;

import dev.switchback.switcher.router.EndpointStats;
import dev.switchback.switcher.router.LatencyHistogram;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CounterIncreasesTest {

    private static PrometheusClient.Sample pod(String pod, double value) {
        return new PrometheusClient.Sample(Map.of("pod", pod), value);
    }

    private static double total(CounterIncreases increases, PrometheusClient.Sample... samples) {
        return CounterIncreases.total(increases.add(List.of(samples)));
    }

    @Test
    void shouldCountOnlyWhatHappenedSinceTheFirstReading() {
        CounterIncreases increases = new CounterIncreases();

        assertThat(total(increases, pod("a", 1000), pod("b", 500))).isZero();
        assertThat(total(increases, pod("a", 1010), pod("b", 505))).isEqualTo(15);
    }

    @Test
    void shouldCountARestartedInstanceFromZeroAgain() {
        CounterIncreases increases = new CounterIncreases();
        total(increases, pod("a", 100));
        total(increases, pod("a", 130));

        assertThat(total(increases, pod("a", 4))).as("30 before the reset, 4 after").isEqualTo(34);
    }

    @Test
    void shouldCountAllOfANewInstanceAndKeepWhatAVanishedOneAdded() {
        CounterIncreases increases = new CounterIncreases();
        total(increases, pod("a", 10));
        total(increases, pod("a", 20));

        assertThat(total(increases, pod("b", 7))).as("a's 10 kept, b's 7 new").isEqualTo(17);
    }

    @Test
    void shouldSkipNotANumberSamples() {
        CounterIncreases increases = new CounterIncreases();
        total(increases, pod("a", 10));

        assertThat(total(increases, pod("a", Double.NaN))).isZero();
        assertThat(total(increases, pod("a", 12))).isEqualTo(2);
    }

    @Test
    void shouldMapPrometheusBucketsSoThePercentileIsNeverBelowTheTruth() throws Exception {
        // 90 requests under 5 ms, 9 more under 250 ms, 1 over 10 s.
        Map<Map<String, String>, Double> buckets = Map.of(Map.of("le", "0.005"), 90.0, Map.of("le", "0.25"), 99.0,
                Map.of("le", "10"), 99.0, Map.of("le", "+Inf"), 100.0);

        EndpointStats stats = new EndpointStats(100, 0, PrometheusMetricsSource.histogram(buckets));

        assertThat(stats.percentileMillis(0.90)).isBetween(5.0, 6.0);
        assertThat(stats.percentileMillis(0.99)).isBetween(250.0, 300.0);
        assertThat(stats.percentileMillis(1.0)).isInfinite();
        assertThat(java.util.Arrays.stream(stats.buckets()).sum()).isEqualTo(100);
        assertThat(stats.buckets().length).isEqualTo(LatencyHistogram.BOUNDS_MICROS.length + 1);
    }

    @Test
    void shouldRefuseALatencySeriesWithoutLe() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PrometheusMetricsSource.histogram(
                Map.of(Map.of("pod", "a"), 1.0))).hasMessageContaining("no le label");
    }
}
