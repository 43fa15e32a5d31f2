package dev.switchback.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the sample app in-process against a real PostgreSQL and checks what its callers see. */
class SampleAppTest {

    private static final String VERSION = "1.1.0";
    private static final String FAILING_VERSION = "1.1.0-fail";
    private static final String UNHEALTHY_VERSION = "1.1.0-unhealthy";
    private static final String SLOW_VERSION = "1.1.0-slow";
    private static final String CREATE_NOTES =
            "CREATE TABLE notes (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body TEXT NOT NULL)";
    private static final long SLOW_THRESHOLD_MILLIS = 900;

    private static EmbeddedPostgres postgres;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final List<SampleApp> started = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void createNotesTable() throws SQLException {
        // The app never creates its table; here the test plays the first migration.
        sql("DROP TABLE IF EXISTS notes", CREATE_NOTES);
    }

    @AfterEach
    void stopApps() {
        started.forEach(SampleApp::stop);
    }

    @Test
    void shouldAnswerVersionAsPlainText() throws Exception {
        SampleApp app = startWithDatabase(VERSION);

        HttpResponse<String> response = get(app, "/version");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(VERSION);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.headers().firstValue(Router.VERSION_HEADER)).hasValue(VERSION);
    }

    @Test
    void shouldReportHealthUpWhenNotesAreReadable() throws Exception {
        SampleApp app = startWithDatabase(VERSION);

        HttpResponse<String> response = get(app, "/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"UP\",\"version\":\"1.1.0\"}");
    }

    @Test
    void shouldReturnPostedNotesInIdOrder() throws Exception {
        SampleApp app = startWithDatabase(VERSION);

        HttpResponse<String> first = post(app, "/notes", "text/plain", "first note");
        HttpResponse<String> second = post(app, "/notes", "application/json",
                "{\"body\":\"say \\\"hi\\\"\\nthen \\u00e9\\\\\"}");
        HttpResponse<String> all = get(app, "/notes");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.body()).isEqualTo("{\"id\":1,\"body\":\"first note\"}");
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.body()).isEqualTo("{\"id\":2,\"body\":\"say \\\"hi\\\"\\nthen é\\\\\"}");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.body()).isEqualTo("[" + first.body() + "," + second.body() + "]");
        assertThat(all.headers().firstValue(Router.VERSION_HEADER)).hasValue(VERSION);
    }

    @Test
    void shouldKeepServingNotesWhenMigrationAddsColumn() throws Exception {
        SampleApp app = startWithDatabase(VERSION);
        post(app, "/notes", "text/plain", "before");

        sql("ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'nobody'");

        assertThat(post(app, "/notes", "text/plain", "after").statusCode()).isEqualTo(201);
        assertThat(get(app, "/notes").body())
                .isEqualTo("[{\"id\":1,\"body\":\"before\"},{\"id\":2,\"body\":\"after\"}]");
        assertThat(get(app, "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldReportHealthDownWhenMigrationRenamesBodyColumn() throws Exception {
        SampleApp app = startWithDatabase(VERSION);
        assertThat(get(app, "/health").statusCode()).isEqualTo(200);

        sql("ALTER TABLE notes RENAME COLUMN body TO text");
        HttpResponse<String> health = get(app, "/health");

        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body())
                .startsWith("{\"status\":\"DOWN\",\"version\":\"1.1.0\",\"reason\":\"")
                .contains("body");
        assertThat(get(app, "/notes").statusCode()).isEqualTo(500);
    }

    @Test
    void shouldReportHealthDownWhenDatabaseIsUnreachable() throws Exception {
        SampleApp app = start(VERSION, Map.of("DB_URL", "jdbc:postgresql://127.0.0.1:1/none"));

        HttpResponse<String> health = get(app, "/health");

        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"status\":\"DOWN\"", "database unavailable");
        assertThat(get(app, "/notes").statusCode()).isEqualTo(503);
    }

    @Test
    void shouldAnswer503OnHealthWhenVersionTaggedUnhealthy() throws Exception {
        SampleApp app = startWithDatabase(UNHEALTHY_VERSION);

        HttpResponse<String> health = get(app, "/health");

        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).isEqualTo("{\"status\":\"DOWN\",\"version\":\"1.1.0-unhealthy\","
                + "\"reason\":\"version 1.1.0-unhealthy is tagged unhealthy\"}");
        assertThat(get(app, "/version").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswer500WhenVersionTaggedFail() throws Exception {
        SampleApp app = startWithDatabase(FAILING_VERSION);

        HttpResponse<String> version = get(app, "/version");

        assertThat(version.statusCode()).isEqualTo(500);
        assertThat(version.headers().firstValue(Router.VERSION_HEADER)).hasValue(FAILING_VERSION);
        assertThat(get(app, "/notes").statusCode()).isEqualTo(500);
        assertThat(post(app, "/notes", "text/plain", "lost").statusCode()).isEqualTo(500);
        assertThat(get(app, "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldDelayAllButHealthWhenVersionTaggedSlow() throws Exception {
        SampleApp app = startWithDatabase(SLOW_VERSION);
        get(app, "/health"); // loads the JDBC driver, so the timed call below measures only itself

        long versionMillis = millis(() -> assertThat(get(app, "/version").body()).isEqualTo(SLOW_VERSION));
        long healthMillis = millis(() -> assertThat(get(app, "/health").statusCode()).isEqualTo(200));

        assertThat(versionMillis).isGreaterThanOrEqualTo(SLOW_THRESHOLD_MILLIS);
        assertThat(healthMillis).isLessThan(SLOW_THRESHOLD_MILLIS);
    }

    @Test
    void shouldServeSlowRequestsConcurrently() throws Exception {
        SampleApp app = startWithoutDatabase(SLOW_VERSION);
        int clients = 8;

        long elapsed = millis(() -> {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                calls.add(HTTP.sendAsync(request(app, "/version").build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                assertThat(call.join().statusCode()).isEqualTo(200);
            }
        });

        // Served one after another, eight one-second requests would take eight seconds.
        assertThat(elapsed).isLessThan(clients * Router.SLOW_DELAY_MILLIS / 2);
    }

    @Test
    void shouldCountAnsweredRequestsInPrometheusFormatWhateverTheFailureMode() throws Exception {
        SampleApp app = startWithoutDatabase(FAILING_VERSION);
        for (int i = 0; i < 3; i++) {
            assertThat(get(app, "/version").statusCode()).isEqualTo(500);
        }
        assertThat(get(app, "/health").statusCode()).isEqualTo(200);
        assertThat(get(app, "/no/such/../path").statusCode()).isEqualTo(500);

        HttpResponse<String> metrics = get(app, "/metrics");

        assertThat(metrics.statusCode()).as("metrics are exempt from the failure mode").isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body())
                .contains("# TYPE http_server_requests_seconds histogram")
                .contains("http_server_requests_seconds_count{method=\"GET\",uri=\"/version\",status=\"500\"} 3\n")
                .contains("http_server_requests_seconds_bucket{method=\"GET\",uri=\"/version\",status=\"500\",le=\"+Inf\"} 3\n")
                .contains("http_server_requests_seconds_count{method=\"GET\",uri=\"/health\",status=\"200\"} 1\n")
                .as("unknown paths share one uri value, so a scanner cannot blow up the series")
                .contains("uri=\"UNKNOWN\",status=\"500\"} 1\n")
                .as("scrapes are not counted as traffic").doesNotContain("uri=\"/metrics\"");
        assertThat(get(app, "/metrics").body()).contains("uri=\"/version\",status=\"500\"} 3\n");
    }

    @Test
    void shouldAnswer404ForUnknownPath() throws Exception {
        SampleApp app = startWithDatabase(VERSION);

        HttpResponse<String> response = get(app, "/nope");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue(Router.VERSION_HEADER)).hasValue(VERSION);
    }

    @Test
    void shouldAnswer405ForUnsupportedMethod() throws Exception {
        SampleApp app = startWithDatabase(VERSION);

        HttpResponse<String> response = HTTP.send(request(app, "/version").DELETE().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void shouldRejectNoteWithoutBody() throws Exception {
        SampleApp app = startWithDatabase(VERSION);

        assertThat(post(app, "/notes", "text/plain", "").statusCode()).isEqualTo(400);
        assertThat(post(app, "/notes", "application/json", "{\"text\":\"x\"}").statusCode()).isEqualTo(400);
        assertThat(post(app, "/notes", "application/json", "{\"body\":").statusCode()).isEqualTo(400);
        assertThat(get(app, "/notes").body()).isEqualTo("[]");
    }

    @Test
    void shouldServeVersionAndHealthWithoutDatabase() throws Exception {
        SampleApp app = startWithoutDatabase(VERSION);

        HttpResponse<String> notes = get(app, "/notes");

        assertThat(notes.statusCode()).isEqualTo(503);
        assertThat(notes.body()).contains("DB_URL");
        assertThat(get(app, "/health").statusCode()).isEqualTo(200);
        assertThat(get(app, "/version").body()).isEqualTo(VERSION);
    }

    @Test
    void shouldRefuseToStartWithoutServiceVersion() {
        assertThatThrownBy(() -> SampleApp.start(Map.of("PORT", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SERVICE_VERSION");
    }

    @Test
    void shouldStopListeningWhenStopped() throws Exception {
        SampleApp app = startWithoutDatabase(VERSION);
        assertThat(get(app, "/version").statusCode()).isEqualTo(200);

        app.stop();

        assertThatThrownBy(() -> get(app, "/version")).isInstanceOf(ConnectException.class);
    }

    private SampleApp startWithDatabase(String version) throws IOException {
        return start(version, Map.of(
                "DB_URL", postgres.getJdbcUrl("postgres", "postgres"),
                "DB_USER", "postgres"));
    }

    private SampleApp startWithoutDatabase(String version) throws IOException {
        return start(version, Map.of());
    }

    private SampleApp start(String version, Map<String, String> extraEnv) throws IOException {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("PORT", "0");
        env.put("SERVICE_VERSION", version);
        SampleApp app = SampleApp.start(env);
        started.add(app);
        return app;
    }

    private static HttpRequest.Builder request(SampleApp app, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> get(SampleApp app, String path) throws IOException, InterruptedException {
        return HTTP.send(request(app, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(SampleApp app, String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest request = request(app, path)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static long millis(ThrowingRunnable action) throws Exception {
        long start = System.nanoTime();
        action.run();
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    /** A timed block that may throw, as HTTP calls do. */
    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
