package dev.switchback.switcher.router.embedded;

import dev.switchback.switcher.router.LatencyHistogram;
import dev.switchback.switcher.router.Weights;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded router's counters per color, through the weights a release's cutover, canary and rollback give it. */
class RouterMetersTest {

    private static final String ROUTE = "shop/local";
    private static final String V1 = "http://127.0.0.1:1001";
    private static final String V2 = "http://127.0.0.1:1002";
    private static final String V3 = "http://127.0.0.1:1003";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Map<String, LatencyHistogram> stats = new ConcurrentHashMap<>();
    private final RouterMeters meters = new RouterMeters(registry, ROUTE, stats);

    @Test
    void shouldCountGreenAsGreenUntilTheNextReleaseMakesItBlue() {
        meters.weightsSet(Weights.of(null, V1, 100));
        answer(V1, 3, 2_000, false);
        // Blue-green: green takes everything at once.
        meters.weightsSet(Weights.of(V1, V2, 100));
        answer(V2, 5, 40_000, true);
        assertThat(requests("blue")).isEqualTo(3);
        assertThat(requests("green")).isEqualTo(5);
        assertThat(errors("green")).isEqualTo(5);
        assertThat(within("green", "0.05")).isEqualTo(5);
        assertThat(within("green", "0.025")).isZero();

        // The next release, a canary: the former green is blue now.
        meters.weightsSet(Weights.of(V2, V3, 10));
        answer(V3, 1, 1_000, false);
        assertThat(requests("blue")).isEqualTo(3 + 5);
        assertThat(requests("green")).isEqualTo(1);

        // A rollback puts everything on blue: colors stay as they were.
        meters.weightsSet(Weights.of(null, V2, 100));
        assertThat(meters.color(V2)).isEqualTo("blue");
        assertThat(meters.color(V3)).isEqualTo("green");
    }

    @Test
    void shouldRemoveItsMetersWhenTheRouteGoes() {
        assertThat(registry.find("switchback.router.requests").meters()).hasSize(2);
        meters.close();
        assertThat(registry.find("switchback.router.requests").meters()).isEmpty();
    }

    private void answer(String endpoint, int times, long micros, boolean error) {
        LatencyHistogram histogram = stats.computeIfAbsent(endpoint, e -> new LatencyHistogram());
        for (int i = 0; i < times; i++) {
            histogram.record(micros, error);
        }
    }

    private double requests(String color) {
        return registry.get("switchback.router.requests").tags("route", ROUTE, "color", color).functionCounter().count();
    }

    private double errors(String color) {
        return registry.get("switchback.router.errors").tags("route", ROUTE, "color", color).functionCounter().count();
    }

    private double within(String color, String le) {
        return registry.get("switchback.router.latency.within").tags("route", ROUTE, "color", color, "le", le)
                .functionCounter().count();
    }
}
