package dev.switchback.switcher.router;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a user sees of the proxying itself, pinned once for both routers that proxy (embedded, nginx): HTTP/1.1 to a
 * client that offers the upgrade to cleartext HTTP/2, and an answer that breaks off at the endpoint breaks off for the
 * user too.
 */
abstract class ProxyContract extends RouterFixture {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void ensureRoute() {
        router.ensureRoute(ROUTE, TestRouters.at(port));
    }

    /**
     * Java's HttpClient offers "Upgrade: h2c" by default; RFC 9113 §3.1 deprecates that upgrade, and the proxying is
     * HTTP/1.1 end to end. Once upgraded, a client keeps one connection for all its requests, and a stream that hangs
     * there stalls them all.
     */
    @Test
    void shouldAnswerInHttp11AClientThatOffersTheUpgradeToCleartextHttp2() throws Exception {
        router.route(ROUTE, blue.endpoint());

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = get();

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("1.0.0");
            assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
    }

    /**
     * With a Content-Length the body falls short; chunked, the last chunk never comes: either way the user must see
     * it, not wait for the rest or take the part for the whole.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldLetTheUserSeeThatAnAnswerTheEndpointBrokeOffFailed(boolean chunked) throws Exception {
        try (TruncatingBackend dying = new TruncatingBackend(chunked)) {
            router.route(ROUTE, dying.endpoint());

            assertThatThrownBy(this::get).isInstanceOf(IOException.class);
        }
        // The route serves on.
        router.route(ROUTE, blue.endpoint());
        assertThat(get().body()).isEqualTo("1.0.0");
    }

    /** A GET with a deadline on the whole answer: HttpClient's own timeout ends at the head, and a body can hang. */
    HttpResponse<String> get() throws Exception {
        try {
            return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/version"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
