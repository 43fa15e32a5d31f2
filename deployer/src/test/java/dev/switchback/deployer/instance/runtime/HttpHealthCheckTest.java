package dev.switchback.deployer.instance.runtime;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class HttpHealthCheckTest {

    private final HttpHealthCheck check = new HttpHealthCheck(Duration.ofMillis(500));
    private final AtomicInteger healthCalls = new AtomicInteger();
    private HttpServer server;
    private URI endpoint;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", exchange -> {
            healthCalls.incrementAndGet();
            answer(exchange, 200, "UP");
        });
        server.createContext("/starting", exchange -> answer(exchange, 503, "x".repeat(1000)));
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", endpoint + "/health");
            answer(exchange, 302, "");
        });
        server.createContext("/empty-error", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void shouldCallA2xxAnswerReady() {
        assertThat(check.check(endpoint, "/health").isYes()).isTrue();
        assertThat(check.check(endpoint, "/health").isYes()).as("a second check on the kept connection").isTrue();
        assertThat(healthCalls).hasValue(2);
    }

    @Test
    void shouldCallAnErrorNotYetNamingTheStatusAndTheBodysStart() {
        Answer answer = check.check(endpoint, "/starting");

        assertThat(answer.isYes()).isFalse();
        assertThat(answer.isNo()).as("the caller decides whether not yet became final").isFalse();
        assertThat(answer.reason()).startsWith(endpoint + "/starting answered 503 xxx")
                .hasSize((endpoint + "/starting answered 503 ").length() + 200);
    }

    @Test
    void shouldCallAnErrorWithoutBodyNotYet() {
        assertThat(check.check(endpoint, "/empty-error").reason()).isEqualTo(endpoint + "/empty-error answered 500 ");
    }

    @Test
    void shouldNotFollowARedirectToAHealthyPath() {
        Answer answer = check.check(endpoint, "/moved");

        assertThat(answer.isYes()).isFalse();
        assertThat(answer.reason()).contains("answered 302");
        assertThat(healthCalls).hasValue(0);
    }

    @Test
    void shouldCallARefusedConnectionNotYet() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }

        Answer answer = check.check(URI.create("http://127.0.0.1:" + closed), "/health");

        assertThat(answer.isYes()).isFalse();
        assertThat(answer.reason()).startsWith("http://127.0.0.1:" + closed + "/health: ");
    }

    @Test
    void shouldCallAnEndpointThatIsNotHttpNotYetWithoutThrowing() {
        for (String endpointOfAnotherKind : new String[] {"ftp://127.0.0.1:21", "file:///tmp", "jar:file:/x.jar!/"}) {
            Answer answer = check.check(URI.create(endpointOfAnotherKind), "/health");

            assertThat(answer.isYes()).as(endpointOfAnotherKind).isFalse();
            assertThat(answer.reason()).as(endpointOfAnotherKind).startsWith(endpointOfAnotherKind + "/health: ");
        }
    }

    @Test
    void shouldGiveUpOnAnInstanceThatAcceptsButNeverAnswersWithinTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CountDownLatch accepted = new CountDownLatch(1);
            Thread acceptor = new Thread(() -> {
                try (Socket ignored = silent.accept()) {
                    accepted.countDown();
                    Thread.sleep(3000);
                } catch (IOException | InterruptedException e) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();

            Answer answer = check.check(URI.create("http://127.0.0.1:" + silent.getLocalPort()), "/health");

            assertThat(accepted.await(1, TimeUnit.SECONDS)).isTrue();
            assertThat(answer.isYes()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
            acceptor.interrupt();
        }
    }

    @Test
    void shouldGiveUpOnABodyTricklingInPastTheTimeout() throws Exception {
        server.createContext("/trickle", exchange -> {
            exchange.sendResponseHeaders(503, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 40; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long start = System.nanoTime();

        Answer answer = check.check(endpoint, "/trickle");

        assertThat(answer.isYes()).isFalse();
        assertThat(answer.reason()).contains("longer than the health timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
