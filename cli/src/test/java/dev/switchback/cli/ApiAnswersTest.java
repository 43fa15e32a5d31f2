package dev.switchback.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the command maps what the API answers to output and exit codes, against an HTTP server in the test that answers
 * as release-api does (problem+json; a stream ending in each outcome). The real API is exercised by e2e-tests' CliIT.
 */
class ApiAnswersTest {

    private static final String ID = "7d0c5b2e-9a57-4c3e-b1a4-2f5b0c9d1e11";
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private HttpServer server;
    private String url;

    private record Answer(int status, String type, List<String> chunks, long holdMillis) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void shouldPrintTheProblemsTitleAndDetailAndExitDeniedOnA403() {
        problem("/releases/" + ID + "/rollback", 403, "Forbidden", "this call needs role releaser");

        Run run = Run.of("rollback", ID, "--url", url);

        assertThat(run.code()).isEqualTo(ExitCodes.DENIED);
        assertThat(run.err()).contains("Forbidden: this call needs role releaser");
        assertThat(run.printedAStackTrace()).isFalse();
    }

    @Test
    void shouldExitRefusedOnA422AndListTheInvalidFields() {
        answers.put("/releases", new Answer(422, "application/problem+json", List.of("{\"title\":\"Unprocessable Content\","
                + "\"status\":422,\"detail\":\"migration 2 is refused\",\"violations\":[{\"field\":\"migrations[0]\","
                + "\"message\":\"require-concurrent-index-creation\"}]}"), 0));

        Run run = Run.of("release", "sample-app", "local", "1.1.0", "--url", url, "--output", "json");

        assertThat(run.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.err()).contains("migration 2 is refused").contains("migrations[0]: require-concurrent-index-creation");
        assertThat(run.out()).as("the problem itself, for scripts").contains("\"status\":422");
    }

    @Test
    void shouldExitWithAnErrorOnAConflict() {
        problem("/releases/" + ID + "/promote", 409, "Conflict", "the release is not baking");
        assertThat(Run.of("promote", ID, "--url", url).code()).isEqualTo(ExitCodes.ERROR);
    }

    @Test
    void shouldExitRolledBackWhenTheWatchedReleaseIsRolledBack() {
        stream(event("snapshot", null, "{\"release\":{\"id\":\"" + ID + "\",\"phase\":\"LIVE\",\"steps\":[{\"phase\":\"LIVE\","
                + "\"event\":\"dev.switchback.release.live\",\"at\":\"2026-12-02T01:00:00Z\"}]}}"),
                event("dev.switchback.traffic.rollback-completed", "e1", "{\"type\":\"dev.switchback.traffic.rollback-completed\","
                        + "\"release\":{\"id\":\"" + ID + "\",\"phase\":\"ROLLED_BACK\",\"reason\":\"rolled back to 1.0.0\"},"
                        + "\"step\":{\"phase\":\"ROLLED_BACK\",\"event\":\"dev.switchback.traffic.rollback-completed\","
                        + "\"reason\":\"rolled back to 1.0.0\",\"at\":\"2026-12-02T01:00:05Z\"}}"));

        Run run = Run.of("status", ID, "--watch", "--url", url);

        assertThat(run.code()).isEqualTo(ExitCodes.ROLLED_BACK);
        assertThat(run.out()).contains("release.live").contains("traffic.rollback-completed").contains("rolled back to 1.0.0");
    }

    @Test
    void shouldExitFailedAndCancelledForThoseEnds() {
        stream(event("snapshot", null, "{\"release\":{\"id\":\"" + ID + "\",\"phase\":\"FAILED\",\"steps\":[]}}"));
        assertThat(Run.of("status", ID, "--watch", "--url", url).code()).isEqualTo(ExitCodes.FAILED);
        stream(event("snapshot", null, "{\"release\":{\"id\":\"" + ID + "\",\"phase\":\"CANCELLED\",\"steps\":[]}}"));
        assertThat(Run.of("status", ID, "--watch", "--url", url).code()).isEqualTo(ExitCodes.CANCELLED);
        stream(event("snapshot", null, "{\"release\":{\"id\":\"" + ID + "\",\"phase\":\"LIVE\",\"promotedAt\":"
                + "\"2026-12-02T01:00:00Z\",\"steps\":[]}}"));
        assertThat(Run.of("status", ID, "--watch", "--url", url).code()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void shouldGiveUpAtTheTimeoutWhileTheReleaseStillBakes() {
        answers.put("/releases/stream", new Answer(200, "text/event-stream", List.of(event("snapshot", null,
                "{\"release\":{\"id\":\"" + ID + "\",\"phase\":\"LIVE\",\"steps\":[]}}"), ": heartbeat\n\n"), 10_000));

        long started = System.nanoTime();
        Run run = Run.of("status", ID, "--watch", "--timeout", "1s", "--url", url);

        assertThat(run.code()).isEqualTo(ExitCodes.TIMED_OUT);
        assertThat(run.err()).contains("gave up after 1s").contains("LIVE (baking)");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void shouldExitZeroWhenARollbackWaitedForEndsRolledBack() {
        answer("/releases/" + ID + "/rollback", 202, "{\"id\":\"" + ID + "\",\"phase\":\"LIVE\"}");
        stream(event("snapshot", null, "{\"release\":{\"id\":\"" + ID + "\",\"phase\":\"LIVE\",\"steps\":[]}}"),
                event("dev.switchback.traffic.rollback-completed", "e1", "{\"type\":\"dev.switchback.traffic.rollback-completed\","
                        + "\"release\":{\"id\":\"" + ID + "\",\"phase\":\"ROLLED_BACK\",\"reason\":\"rollback requested\"}}"));

        Run run = Run.of("rollback", ID, "--wait", "--url", url);

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("rollback requested: LIVE").contains("ended ROLLED_BACK");
    }

    @Test
    void shouldExitWithTheOutcomesOwnCodeWhenAPromotionWaitedForEndsRolledBack() {
        answer("/releases/" + ID + "/promote", 202, "{\"id\":\"" + ID + "\",\"phase\":\"LIVE\"}");
        stream(event("snapshot", null, "{\"release\":{\"id\":\"" + ID + "\",\"phase\":\"ROLLED_BACK\",\"steps\":[]}}"));

        assertThat(Run.of("promote", ID, "--wait", "--url", url).code()).isEqualTo(ExitCodes.ROLLED_BACK);
    }

    @Test
    void shouldExitWithAnErrorWhenARollbackWaitedForEndsPromotedInstead() {
        answer("/releases/" + ID + "/rollback", 202, "{\"id\":\"" + ID + "\",\"phase\":\"LIVE\"}");
        stream(event("snapshot", null, "{\"release\":{\"id\":\"" + ID + "\",\"phase\":\"LIVE\",\"promotedAt\":"
                + "\"2026-12-02T01:00:00Z\",\"steps\":[]}}"));

        Run run = Run.of("rollback", ID, "--wait", "--url", url);

        assertThat(run.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.out()).contains("ended LIVE, promoted, not ROLLED_BACK");
    }

    @Test
    void shouldReturnAtOnceFromARejectWaitedForAndPrintTheFinalReleaseAsJson() {
        answer("/releases/" + ID + "/reject", 200, "{\"id\":\"" + ID + "\",\"phase\":\"CANCELLED\",\"reason\":\"rejected\"}");
        // The stream stays open after its snapshot: the command must end on the snapshot, not on the stream's end.
        answers.put("/releases/stream", new Answer(200, "text/event-stream", List.of(event("snapshot", null,
                "{\"release\":{\"id\":\"" + ID + "\",\"phase\":\"CANCELLED\",\"steps\":[]}}")), 4_000));

        long started = System.nanoTime();
        Run run = Run.of("reject", ID, "--wait", "--url", url, "--output", "json");

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out().lines().reduce((first, second) -> second).orElseThrow())
                .contains("\"type\":\"snapshot\"").contains("\"phase\":\"CANCELLED\"");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(3_000);
    }

    @Test
    void shouldGiveUpAtTheTimeoutWhileAWaitedForAbortIsNotYetCancelled() {
        answer("/releases/" + ID + "/abort", 200, "{\"id\":\"" + ID + "\",\"phase\":\"DEPLOYING\"}");
        answers.put("/releases/stream", new Answer(200, "text/event-stream", List.of(event("snapshot", null,
                "{\"release\":{\"id\":\"" + ID + "\",\"phase\":\"DEPLOYING\",\"steps\":[]}}"), ": heartbeat\n\n"), 3_000));

        Run run = Run.of("abort", ID, "--wait", "--timeout", "1s", "--url", url);

        assertThat(run.code()).isEqualTo(ExitCodes.TIMED_OUT);
        assertThat(run.err()).contains("gave up after 1s").contains("DEPLOYING");
    }

    private void answer(String path, int status, String json) {
        answers.put(path, new Answer(status, "application/json", List.of(json), 0));
    }

    private void problem(String path, int status, String title, String detail) {
        answers.put(path, new Answer(status, "application/problem+json", List.of("{\"title\":\"" + title + "\",\"status\":"
                + status + ",\"detail\":\"" + detail + "\"}"), 0));
    }

    private void stream(String... events) {
        answers.put("/releases/stream", new Answer(200, "text/event-stream", List.of(events), 0));
    }

    private static String event(String name, String id, String data) {
        return (id == null ? "" : "id: " + id + "\n") + "event: " + name + "\ndata: " + data + "\n\n";
    }

    private void answer(HttpExchange exchange) throws IOException {
        Answer answer = answers.get(exchange.getRequestURI().getPath());
        if (answer == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", answer.type());
        exchange.sendResponseHeaders(answer.status(), 0);
        try (OutputStream body = exchange.getResponseBody()) {
            for (String chunk : answer.chunks()) {
                body.write(chunk.getBytes(StandardCharsets.UTF_8));
                body.flush();
            }
            if (answer.holdMillis() > 0) {
                Thread.sleep(answer.holdMillis());
            }
        } catch (InterruptedException | IOException e) {
            // the client went away
        }
    }
}
