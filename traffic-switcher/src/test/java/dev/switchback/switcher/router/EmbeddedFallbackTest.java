package dev.switchback.switcher.router;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Blue as green's fallback through the embedded proxy, which sends again only what it need not buffer. */
class EmbeddedFallbackTest extends FallbackContract {

    @Override
    String driverName() {
        return "embedded";
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
