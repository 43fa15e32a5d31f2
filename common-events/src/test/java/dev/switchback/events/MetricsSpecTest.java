package dev.switchback.events;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsSpecTest {

    @Test
    void shouldAcceptTheRouterAndPrometheusWithKnownPlaceholders() {
        assertThat(MetricsSpec.ROUTER.problems()).isEmpty();
        assertThat(new MetricsSpec("prometheus", null, null, null, null).problems()).isEmpty();
        assertThat(new MetricsSpec("prometheus", "app=\"{{ service }}\",track=\"{{color}}\"",
                "sum by (pod) (x_total{ {{selector}} })", null, null).problems()).isEmpty();
    }

    @Test
    void shouldRefuseAnUnknownSource() {
        assertThat(new MetricsSpec("datadog", null, null, null, null).problems()).singleElement().asString()
                .contains("not one of router, prometheus");
    }

    @Test
    void shouldRefuseQueriesOnTheRouterSource() {
        assertThat(new MetricsSpec("router", null, "up", null, null).problems()).singleElement().asString()
                .contains("prometheus source only");
    }

    @Test
    void shouldRefuseUnknownPlaceholdersInAnyTemplate() {
        assertThat(new MetricsSpec("prometheus", "ns=\"{{namespace}}\"", null, "e{ {{pod}} }", "b{ {{selector}} }")
                .problems()).hasSize(2).allMatch(p -> p.contains("unknown placeholder"));
    }

    @Test
    void shouldRefuseASelectorThatNamesItself() {
        assertThat(new MetricsSpec("prometheus", "{{selector}}", null, null, null).problems()).singleElement()
                .asString().contains("{{selector}}");
    }

    @Test
    void shouldRefuseBlankOverlongAndControlCharacterTemplates() {
        assertThat(new MetricsSpec("prometheus", " ", null, null, null).problems()).isNotEmpty();
        assertThat(new MetricsSpec("prometheus", null, "x".repeat(2001), null, null).problems()).isNotEmpty();
        assertThat(new MetricsSpec("prometheus", null, null, "up\n", null).problems()).singleElement().asString()
                .contains("control characters");
    }

    @Test
    void shouldKeepTheOldFiveSettingConstructorWithoutMetrics() {
        AnalysisSpec old = AnalysisSpec.withDefaults(new AnalysisSpec(500, 0.1, 100, 3, null));

        assertThat(old.metrics()).isNull();
        assertThat(old.metricsOrDefault()).isEqualTo(MetricsSpec.ROUTER);
        assertThat(old.maxErrorRateOverBlue()).isNull();
        assertThat(EventCodec.fromJson(EventCodec.toJson(new AnalysisSpec(500, 0.1, 100, 3, null,
                new MetricsSpec("prometheus", null, null, null, null), 0.02)), AnalysisSpec.class).maxErrorRateOverBlue())
                .isEqualTo(0.02);
    }
}
