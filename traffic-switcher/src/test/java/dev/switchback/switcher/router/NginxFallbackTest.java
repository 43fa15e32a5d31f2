package dev.switchback.switcher.router;

import dev.switchback.switcher.NginxInstalled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Blue as green's fallback through a real nginx: the upstream's backup server, tried once green's attempt failed. */
@ExtendWith(NginxInstalled.class)
class NginxFallbackTest extends FallbackContract {

    @Override
    String driverName() {
        return "nginx";
    }

    @Test
    void shouldKeepTheFallbackWhenARestartedSwitcherAdoptsTheRoute() throws Exception {
        green.status.set(500);
        router.setWeights(ROUTE, Map.of(green.endpoint(), 100), blue.endpoint());

        Router adopting = start(temp.resolve("work"));
        adopting.ensureRoute(ROUTE, TestRouters.at(port));

        assertThat(adopting.weights(ROUTE)).isEqualTo(Map.of(green.endpoint(), 100));
        assertThat(send("GET", "/version", null).statusCode()).isEqualTo(200);
        assertThat(blue.received()).isEqualTo(1);
    }
}
