package dev.switchback.switcher.metrics.prometheus;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotTest {

    private static final PromQl.Queries QUERIES = new PromQl.Queries("requests", "errors", "buckets");

    /**
     * A target whose every request fails, scraped into a Prometheus that commits the next scrapes right after the
     * given queries ran: each scrape adds ten failed requests.
     */
    private static final class FailingTarget implements Snapshot.Query {
        final List<String> commitAfter;
        final List<String> asked = new ArrayList<>();
        int scrapes = 1;

        FailingTarget(String... commitAfter) {
            this.commitAfter = new ArrayList<>(List.of(commitAfter));
        }

        @Override
        public List<PrometheusClient.Sample> run(String promql) {
            asked.add(promql);
            double count = scrapes * 10.0;
            List<PrometheusClient.Sample> answer = switch (promql) {
                case "requests", "errors" -> List.of(new PrometheusClient.Sample(Map.of("status", "500"), count));
                default -> List.of(new PrometheusClient.Sample(Map.of("le", "+Inf"), count));
            };
            if (!commitAfter.isEmpty() && commitAfter.get(0).equals(promql)) {
                commitAfter.remove(0);
                scrapes++;
            }
            return answer;
        }
    }

    private static double value(List<PrometheusClient.Sample> samples) {
        return samples.get(0).value();
    }

    @Test
    void shouldReadTheThreeQueriesOnceWhenNoScrapeLandsBetweenThem() throws Exception {
        FailingTarget target = new FailingTarget();

        Snapshot snapshot = Snapshot.of(QUERIES, target);

        assertThat(snapshot.attempts()).isEqualTo(1);
        assertThat(target.asked).containsExactly("requests", "errors", "buckets", "requests");
        assertThat(value(snapshot.errors())).isEqualTo(value(snapshot.requests()));
    }

    @Test
    void shouldReadAgainWhenAScrapeLandsBetweenTheRequestsAndTheErrors() throws Exception {
        // The scrape lands after the first requests query: errors (20) would be read above requests (10).
        FailingTarget target = new FailingTarget("requests");

        Snapshot snapshot = Snapshot.of(QUERIES, target);

        assertThat(snapshot.attempts()).isEqualTo(2);
        assertThat(value(snapshot.requests())).isEqualTo(20);
        assertThat(value(snapshot.errors())).as("of the same scrape as the requests").isEqualTo(20);
        assertThat(value(snapshot.buckets())).isEqualTo(20);
    }

    @Test
    void shouldReadAgainWhenAScrapeLandsBetweenTheErrorsAndTheBuckets() throws Exception {
        FailingTarget target = new FailingTarget("errors");

        Snapshot snapshot = Snapshot.of(QUERIES, target);

        assertThat(snapshot.attempts()).isEqualTo(2);
        assertThat(value(snapshot.errors())).isEqualTo(value(snapshot.requests()));
        assertThat(value(snapshot.buckets())).isEqualTo(value(snapshot.requests()));
    }

    @Test
    void shouldKeepTheLastReadingAfterTheMostAttemptsWhenScrapesKeepLanding() throws Exception {
        FailingTarget target = new FailingTarget("errors", "errors", "errors", "errors");

        Snapshot snapshot = Snapshot.of(QUERIES, target);

        assertThat(snapshot.attempts()).isEqualTo(Snapshot.MAX_ATTEMPTS);
        assertThat(target.asked).hasSize(1 + 3 * Snapshot.MAX_ATTEMPTS);
    }
}
