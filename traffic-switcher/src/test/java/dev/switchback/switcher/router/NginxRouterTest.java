package dev.switchback.switcher.router;

import dev.switchback.infra.test.HttpBackend;
import dev.switchback.switcher.NginxInstalled;
import dev.switchback.infra.Ports;
import dev.switchback.switcher.router.nginx.NginxRouter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The nginx router driving a real nginx, started by the test, between real HTTP backends. */
@ExtendWith(NginxInstalled.class)
class NginxRouterTest {

    private static final String ROUTE = "app.test";
    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path temp;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private Path work;
    private NginxRouter router;
    private int port;

    @BeforeEach
    void setUp() throws IOException {
        // Started as root, nginx runs its workers as nobody: they must reach the prefix's temp directories.
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        work = temp.resolve("nginx");
        router = newRouter();
        port = Ports.free();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable resource : closing) {
            resource.close();
        }
        router.close();
    }

    @Test
    void shouldServeTheEndpointItWasGivenAndReportIt() throws IOException {
        HttpBackend blue = backend("1.0.0");

        router.ensureRoute(ROUTE, TestRouters.at(port));
        router.ensureRoute(ROUTE, TestRouters.at(port));
        router.route(ROUTE, blue.endpoint());

        assertThat(get("/version")).isEqualTo(new KeepAliveClient.Response(200, "1.0.0"));
        assertThat(router.weights(ROUTE)).isEqualTo(Map.of(blue.endpoint(), 100));
        assertThat(router.current(ROUTE)).contains(blue.endpoint());
        assertThat(router.masterPid()).isPresent();
    }

    @Test
    void shouldAnswer503WithNoUpstream() throws IOException {
        router.ensureRoute(ROUTE, TestRouters.at(port));

        KeepAliveClient.Response response = get("/version");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).contains("no live version of " + ROUTE);
        assertThat(router.weights(ROUTE)).isEmpty();
        assertThat(router.current(ROUTE)).isEmpty();
    }

    @Test
    void shouldSplitTrafficByWeight() throws IOException {
        HttpBackend blue = backend("1.0.0");
        HttpBackend green = backend("2.0.0");
        router.ensureRoute(ROUTE, TestRouters.at(port));

        router.setWeights(ROUTE, Map.of(blue.endpoint(), 10, green.endpoint(), 90));

        Map<String, Integer> answered = new HashMap<>();
        try (KeepAliveClient client = client()) {
            for (int i = 0; i < 1000; i++) {
                KeepAliveClient.Response response = client.get("/version");
                assertThat(response.status()).isEqualTo(200);
                answered.merge(response.body(), 1, Integer::sum);
            }
        }
        assertThat(answered.get("1.0.0")).isBetween(60, 140);
        assertThat(answered.get("2.0.0")).isBetween(860, 940);
        assertThat(router.weights(ROUTE)).isEqualTo(Map.of(blue.endpoint(), 10, green.endpoint(), 90));
        assertThat(router.current(ROUTE)).isEmpty();
    }

    @Test
    void shouldCountRequestsErrorsAndLatencyPerEndpoint() throws IOException {
        HttpBackend blue = backend("1.0.0");
        HttpBackend green = backend("2.0.0");
        router.ensureRoute(ROUTE, TestRouters.at(port));
        router.route(ROUTE, blue.endpoint());
        try (KeepAliveClient client = client()) {
            for (int i = 0; i < 10; i++) {
                assertThat(client.get("/version").status()).isEqualTo(200);
            }
            for (int i = 0; i < 5; i++) {
                assertThat(client.get("/fail").status()).isEqualTo(500);
            }
            router.route(ROUTE, green.endpoint());
            for (int i = 0; i < 3; i++) {
                assertThat(client.get("/slow").status()).isEqualTo(200);
            }
        }

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<String, EndpointStats> stats = router.stats(ROUTE);
            assertThat(stats.get(blue.endpoint()).requests()).isEqualTo(15);
            assertThat(stats.get(blue.endpoint()).errors()).isEqualTo(5);
            assertThat(stats.get(green.endpoint()).requests()).isEqualTo(3);
            assertThat(stats.get(green.endpoint()).errors()).isZero();
        });
        EndpointStats blueStats = router.stats(ROUTE).get(blue.endpoint());
        EndpointStats greenStats = router.stats(ROUTE).get(green.endpoint());
        assertThat(greenStats.percentileMillis(0.5)).isGreaterThanOrEqualTo(HttpBackend.SLOW_MILLIS);
        assertThat(blueStats.percentileMillis(0.99)).isLessThan(HttpBackend.SLOW_MILLIS);
    }

    @Test
    void shouldRetryAGetOnAnotherEndpointWhenOneIsDownAndCountItsFailures() throws IOException {
        HttpBackend blue = backend("1.0.0");
        String down = "http://127.0.0.1:" + Ports.free();
        router.ensureRoute(ROUTE, TestRouters.at(port));
        router.setWeights(ROUTE, Map.of(blue.endpoint(), 50, down, 50));

        try (KeepAliveClient client = client()) {
            for (int i = 0; i < 20; i++) {
                assertThat(client.get("/version")).isEqualTo(new KeepAliveClient.Response(200, "1.0.0"));
            }
        }

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<String, EndpointStats> stats = router.stats(ROUTE);
            assertThat(stats.get(blue.endpoint()).requests()).isEqualTo(20);
            assertThat(stats.get(blue.endpoint()).errors()).isZero();
            assertThat(stats.get(down).requests()).isPositive().isEqualTo(stats.get(down).errors());
        });
    }

    @Test
    void shouldNotSendAPostAgainOnceAnEndpointReceivedIt() throws IOException {
        HttpBackend blue = backend("1.0.0");
        Dropper dropper = new Dropper();
        closing.add(dropper);
        router.ensureRoute(ROUTE, TestRouters.at(port));
        router.setWeights(ROUTE, Map.of(blue.endpoint(), 50, dropper.endpoint(), 50));

        int ok = 0;
        int failed = 0;
        try (KeepAliveClient client = client()) {
            for (int i = 0; i < 20; i++) {
                int status = client.post("/notes").status();
                if (status == 200) {
                    ok++;
                } else {
                    assertThat(status).isEqualTo(502);
                    failed++;
                }
            }
        }

        assertThat(failed).isPositive();
        assertThat(dropper.received()).isEqualTo(failed);
        assertThat(blue.received()).isEqualTo(ok);
    }

    @Test
    void shouldVerifyTheReloadTookEffect() throws IOException {
        HttpBackend blue = backend("1.0.0");
        HttpBackend green = backend("2.0.0");
        router.ensureRoute(ROUTE, TestRouters.at(port));

        for (int i = 0; i < 10; i++) {
            HttpBackend target = i % 2 == 0 ? green : blue;
            router.route(ROUTE, target.endpoint());
            // No wait: once setWeights returns, every new connection must reach the target.
            for (int j = 0; j < 10; j++) {
                assertThat(KeepAliveClient.getOnce(port, "/version").body()).as("switch %d, request %d", i, j)
                        .isEqualTo(target.version());
            }
            assertThat(router.current(ROUTE)).contains(target.endpoint());
        }
    }

    @Test
    void shouldFailASwitchNginxCannotServeAndKeepServingTheRest() throws IOException {
        HttpBackend blue = backend("1.0.0");
        router.ensureRoute(ROUTE, TestRouters.at(port));
        router.route(ROUTE, blue.endpoint());
        ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        closing.add(taken);

        assertThatThrownBy(() -> router.ensureRoute("other.test", TestRouters.at(taken.getLocalPort())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("other.test")
                .hasMessageContaining("Address already in use");

        assertThat(get("/version").body()).isEqualTo("1.0.0");
        assertThat(router.weights("other.test")).isEmpty();
        router.route(ROUTE, backend("2.0.0").endpoint());
        assertThat(get("/version").body()).isEqualTo("2.0.0");
    }

    @Test
    void shouldAdoptTheNginxAPreviousSwitcherLeftRunning() throws IOException {
        HttpBackend blue = backend("1.0.0");
        HttpBackend green = backend("2.0.0");
        router.ensureRoute(ROUTE, TestRouters.at(port));
        router.route(ROUTE, blue.endpoint());
        long pid = router.masterPid().orElseThrow();

        NginxRouter restarted = newRouter();
        try {
            restarted.ensureRoute(ROUTE, TestRouters.at(port));

            assertThat(restarted.masterPid()).contains(pid);
            assertThat(restarted.weights(ROUTE)).isEqualTo(Map.of(blue.endpoint(), 100));
            assertThat(get("/version").body()).isEqualTo("1.0.0");
            restarted.route(ROUTE, green.endpoint());
            assertThat(get("/version").body()).isEqualTo("2.0.0");
            assertThat(restarted.current(ROUTE)).contains(green.endpoint());
        } finally {
            restarted.close();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    }

    @Test
    void shouldStartNginxAgainWhenItDied() throws IOException {
        HttpBackend blue = backend("1.0.0");
        HttpBackend green = backend("2.0.0");
        router.ensureRoute(ROUTE, TestRouters.at(port));
        router.route(ROUTE, blue.endpoint());
        ProcessHandle master = ProcessHandle.of(router.masterPid().orElseThrow()).orElseThrow();
        List<ProcessHandle> workers = master.children().toList();
        master.destroyForcibly();
        workers.forEach(ProcessHandle::destroyForcibly);
        master.onExit().join();
        workers.forEach(worker -> worker.onExit().join());

        router.route(ROUTE, green.endpoint());

        assertThat(router.masterPid()).isPresent().isNotEqualTo(java.util.Optional.of(master.pid()));
        assertThat(get("/version").body()).isEqualTo("2.0.0");
    }

    @Test
    void shouldRefuseWeightsThatDoNotSumTo100AndEndpointsThatAreNotHttpBaseUrls() {
        router.ensureRoute(ROUTE, TestRouters.at(port));

        assertThatThrownBy(() -> router.setWeights(ROUTE, Map.of("http://127.0.0.1:1", 60)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum to 100");
        assertThatThrownBy(() -> router.route(ROUTE, "http://127.0.0.1:1/app;"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://host:port");
        assertThat(router.weights(ROUTE)).isEmpty();
    }

    @Test
    void shouldSayHowToInstallNginxWhenItIsMissing() {
        NginxRouter missing = new NginxRouter(TestRouters.switcher(),
                TestRouters.nginx("/nonexistent/nginx", work, RELOAD_TIMEOUT));

        assertThatThrownBy(() -> missing.ensureRoute(ROUTE, TestRouters.at(port)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apt-get install nginx-light");
    }

    private NginxRouter newRouter() {
        return new NginxRouter(TestRouters.switcher(), TestRouters.nginx(work, RELOAD_TIMEOUT));
    }

    private HttpBackend backend(String version) {
        HttpBackend backend = HttpBackend.start(version);
        closing.add(backend);
        return backend;
    }

    private KeepAliveClient client() {
        return new KeepAliveClient("127.0.0.1", port, 5000);
    }

    private KeepAliveClient.Response get(String path) throws IOException {
        return KeepAliveClient.getOnce(port, path);
    }

    /** An endpoint that reads a request, then closes the connection without answering: it may have acted on it. */
    private static final class Dropper implements AutoCloseable {
        private final ServerSocket server;
        private final AtomicInteger received = new AtomicInteger();
        private final Thread thread;

        Dropper() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(this::serve, "dropper");
            thread.setDaemon(true);
            thread.start();
        }

        String endpoint() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        int received() {
            return received.get();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    if (in.read(new byte[4096]) > 0) {
                        received.incrementAndGet();
                    }
                } catch (IOException e) {
                    if (!server.isClosed()) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
