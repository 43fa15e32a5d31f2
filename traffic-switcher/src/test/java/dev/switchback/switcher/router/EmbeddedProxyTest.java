package dev.switchback.switcher.router;

import dev.switchback.switcher.router.embedded.EmbeddedRouter;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The embedded router's proxying, as users see it. */
class EmbeddedProxyTest extends ProxyContract {

    private Vertx vertx;

    @Override
    Router start(Path work) {
        vertx = Vertx.vertx();
        return new EmbeddedRouter(vertx, TestRouters.switcher());
    }

    @Override
    void stop(Router router) {
        TestRouters.close(vertx);
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
