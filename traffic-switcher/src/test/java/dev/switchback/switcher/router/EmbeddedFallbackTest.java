package dev.switchback.switcher.router;

import dev.switchback.switcher.router.embedded.EmbeddedRouter;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Blue as green's fallback through the embedded proxy, which sends again only what it need not buffer. */
class EmbeddedFallbackTest extends FallbackContract {

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

    @Test
    void shouldNotSendAnIdempotentRequestWithABodyTwice() throws Exception {
        green.status.set(500);
        router.setWeights(ROUTE, Map.of(green.endpoint(), 100), blue.endpoint());

        HttpResponse<String> answer = send("PUT", "/version", "a whole document");

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(blue.received()).isZero();
    }
}
