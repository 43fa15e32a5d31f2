package dev.switchback.switcher.router;

import dev.switchback.infra.test.HttpBackend;
import dev.switchback.infra.Ports;
import dev.switchback.switcher.router.embedded.EmbeddedRouter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The embedded router's proxying between real HTTP backends: what passes through, and what fails. */
class EmbeddedRouterTest {

    private static final String ROUTE = "app.test";

    private TestRouters.Driver driver;
    private EmbeddedRouter router;
    private HttpBackend blue;
    private int port;

    @BeforeEach
    void setUp() {
        driver = TestRouters.driver("embedded", Path.of("unused"));
        router = (EmbeddedRouter) driver.router();
        blue = HttpBackend.start("1.0.0");
        port = Ports.free();
        router.ensureRoute(ROUTE, TestRouters.at(port));
    }

    @AfterEach
    void tearDown() {
        driver.close();
        blue.close();
    }

    @Test
    void shouldPassTheBodyAndTheClientsHostBothWaysAndStreamTheAnswer() throws IOException {
        router.route(ROUTE, blue.endpoint());

        try (KeepAliveClient client = new KeepAliveClient("127.0.0.1", port, 5000)) {
            for (int i = 0; i < 3; i++) {
                assertThat(client.post("/echo")).isEqualTo(new KeepAliveClient.Response(200, "127.0.0.1:" + port + " note"));
                assertThat(client.get("/version")).isEqualTo(new KeepAliveClient.Response(200, "1.0.0"));
            }
        }
    }

    @Test
    void shouldAnswer502AndCountAnErrorWhenTheEndpointCannotBeReached() throws IOException {
        String down = "http://127.0.0.1:" + Ports.free();
        router.route(ROUTE, down);

        assertThat(KeepAliveClient.getOnce(port, "/version").status()).isEqualTo(502);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(router.stats(ROUTE).get(down))
                .satisfies(stats -> {
                    assertThat(stats.requests()).isEqualTo(1);
                    assertThat(stats.errors()).isEqualTo(1);
                }));
    }

    @Test
    void shouldAnswer503WithNoUpstreamAndCountTheEndpointsFailingAnswers() throws IOException {
        assertThat(KeepAliveClient.getOnce(port, "/version").status()).isEqualTo(503);

        router.setWeights(ROUTE, Map.of(blue.endpoint(), 100));
        assertThat(KeepAliveClient.getOnce(port, "/fail").status()).isEqualTo(500);
        assertThat(KeepAliveClient.getOnce(port, "/version").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(router.stats(ROUTE)
                .get(blue.endpoint())).satisfies(stats -> {
                    assertThat(stats.requests()).isEqualTo(2);
                    assertThat(stats.errors()).isEqualTo(1);
                }));
    }

    /**
     * A client that offers the upgrade to cleartext HTTP/2 (as Java's HttpClient does by default) goes on in HTTP/1.1,
     * as nginx's plain listener does: RFC 9113 §3.1 deprecates the "h2c" upgrade, and the router's proxying is
     * HTTP/1.1 end to end. Once upgraded, a client keeps one connection for all its requests, and a stream that hangs
     * there stalls it.
     */
    @Test
    void shouldAnswerInHttp11AClientThatOffersTheUpgradeToCleartextHttp2() throws Exception {
        router.route(ROUTE, blue.endpoint());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/version")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("1.0.0");
            assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
    }

    @Test
    void shouldRefuseEndpointsThatAreNotHttpBaseUrlsBeforeServingThem() {
        assertThatThrownBy(() -> router.route(ROUTE, "http://127.0.0.1:1/app;"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://host:port");
        assertThatThrownBy(() -> router.setWeights(ROUTE, Map.of(blue.endpoint(), 50, "https://127.0.0.1:1", 50)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://host:port");

        assertThat(router.weights(ROUTE)).isEmpty();
    }
}
