package dev.switchback.switcher.router;

import dev.switchback.infra.test.HttpBackend;
import dev.switchback.infra.Ports;
import dev.switchback.switcher.router.embedded.EmbeddedRouter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
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

    @Test
    void shouldRefuseEndpointsThatAreNotHttpBaseUrlsBeforeServingThem() {
        assertThatThrownBy(() -> router.route(ROUTE, "http://127.0.0.1:1/app;"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://host:port");
        assertThatThrownBy(() -> router.setWeights(ROUTE, Map.of(blue.endpoint(), 50, "https://127.0.0.1:1", 50)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://host:port");

        assertThat(router.weights(ROUTE)).isEmpty();
    }
}
