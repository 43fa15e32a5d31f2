package dev.switchback.switcher.router;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The embedded router's proxying, as users see it. */
class EmbeddedProxyTest extends ProxyContract {

    @Override
    String driverName() {
        return "embedded";
    }

    /** The embedded router counts it for the endpoint, so analysis sees a green that dies mid-answer. */
    @Test
    void shouldCountAnAnswerTheEndpointBrokeOffAsAnError() throws Exception {
        try (TruncatingBackend dying = new TruncatingBackend(true)) {
            router.route(ROUTE, dying.endpoint());

            assertThatThrownBy(this::get).isInstanceOf(java.io.IOException.class);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(((RouterCounters) router).stats(ROUTE)
                    .get(dying.endpoint()).errors()).isEqualTo(1));
        }
    }
}
