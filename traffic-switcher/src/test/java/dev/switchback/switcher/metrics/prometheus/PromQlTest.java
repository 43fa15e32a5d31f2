package dev.switchback.switcher.metrics.prometheus;

import dev.switchback.events.MetricsSpec;
import dev.switchback.switcher.metrics.MetricsQuery;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromQlTest {

    private static MetricsQuery query(MetricsSpec spec, String version) {
        return new MetricsQuery("notes.production", "embedded", "http://127.0.0.1:1", "notes", "production",
                MetricsQuery.GREEN, "7f1c", version, spec);
    }

    @Test
    void shouldFillTheDefaultQueriesWithTheMeasuredColorsLabels() {
        PromQl.Queries queries = PromQl.of(query(new MetricsSpec("prometheus", null, null, null, null), "1.2.0"));

        assertThat(queries.requests()).isEqualTo(
                "http_server_requests_seconds_count{ service=\"notes\",environment=\"production\",release=\"7f1c\" }");
        assertThat(queries.errors()).isEqualTo("http_server_requests_seconds_count{ service=\"notes\","
                + "environment=\"production\",release=\"7f1c\",status=~\"5..\" }");
        assertThat(queries.latencyBuckets()).startsWith("http_server_requests_seconds_bucket{ service=\"notes\"");
    }

    @Test
    void shouldFillASelectorAndQueriesOfTheSpecsOwn() {
        MetricsSpec own = new MetricsSpec("prometheus", "app=\"{{service}}\",version=\"{{version}}\",track=\"{{color}}\"",
                "sum by (pod) (istio_requests_total{ {{selector}} })", null, null);

        PromQl.Queries queries = PromQl.of(query(own, "2.0.0"));

        assertThat(queries.requests())
                .isEqualTo("sum by (pod) (istio_requests_total{ app=\"notes\",version=\"2.0.0\",track=\"green\" })");
    }

    @Test
    void shouldEscapeValuesSoTheyCannotEndTheStringAndAddMatchers() {
        MetricsSpec spec = new MetricsSpec("prometheus", "version=\"{{version}}\"", null, null, null);

        String requests = PromQl.of(query(spec, "1\",job=~\".*")).requests();

        assertThat(requests).isEqualTo("http_server_requests_seconds_count{ version=\"1\\\",job=~\\\".*\" }");
        assertThat(PromQl.escape("a\\b\nc")).isEqualTo("a\\\\b\\nc");
    }

    @Test
    void shouldRefuseAnUnknownPlaceholderRatherThanLeaveItInTheQuery() {
        MetricsSpec spec = new MetricsSpec("prometheus", "ns=\"{{namespace}}\"", null, null, null);

        assertThatThrownBy(() -> PromQl.of(query(spec, "1.0.0"))).hasMessageContaining("{{namespace}}");
    }
}
