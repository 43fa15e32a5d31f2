package dev.switchback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.EventCodec;
import dev.switchback.infra.suite.Suite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged {@code switchback} jar run as a process against the packaged suite, as a CI job runs it: its exit codes
 * for a promoted, a rolled-back and a timed-out release, a refused lint and a denied rollback, {@code status
 * --watch} printing each step while it happens, and {@code rollback}, {@code promote}, {@code abort} and {@code approve}
 * with {@code --wait} exiting on the end they ask for. The CI examples are run by {@link CiExamplesIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {

    private static final Duration RUN = Duration.ofMinutes(3);
    private static final Path ROOT = Path.of(System.getProperty("switchback.root", "..")).toAbsolutePath().normalize();

    private Suite suite;
    private Map<String, String> releaser;
    private Path work;
    private String promotedId;
    private Process secondReplica;

    @BeforeAll
    void startSuite() throws Exception {
        suite = Suites.start("cli");
        releaser = Map.of("SWITCHBACK_URL", suite.config().url("release-api"),
                "SWITCHBACK_TOKEN", suite.tokens().token("ci", "releaser"));
        work = Files.createDirectories(ROOT.resolve("e2e-tests/target/cli/work"));
    }

    @AfterAll
    void stopSuite() {
        if (secondReplica != null) {
            secondReplica.destroyForcibly();
        }
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    @Order(1)
    void shouldExitZeroOnceAGoodReleaseIsLiveAndPromoted() throws Exception {
        Path migration = Files.writeString(work.resolve("V2__add_note_author.sql"), "ALTER TABLE notes ADD COLUMN author TEXT;\n");

        CliProcess release = CliProcess.switchback(ROOT, releaser, "release", "sample-app", "local", "1.1.0",
                "--migration", migration.toString(), "--wait", "--timeout", "3m");

        assertThat(release.await(RUN)).as(release.output()).isZero();
        assertThat(release.stdout()).contains("migration.succeeded").contains("applied 2")
                .contains("traffic.cutover-completed").contains("ended LIVE, promoted");
        assertThat(routerVersion()).isEqualTo("1.1.0");
        promotedId = release.stdout().lines().filter(l -> l.startsWith("release ") && l.contains("accepted"))
                .findFirst().orElseThrow().split(" ")[1];
    }

    /**
     * Watched on a second release-api replica while the first takes the release: the second's stream sees every event,
     * whichever replica's consumer projects it (they share the pipeline's consumer group).
     */
    @Test
    @Order(2)
    void shouldPrintEachStepWhileItHappensWhenWatchingOnAnotherReplica() throws Exception {
        String second = startSecondReleaseApi();
        CliProcess submit = CliProcess.switchback(ROOT, releaser, "release", "sample-app", "local", "1.2.0", "--output", "json");
        assertThat(submit.await(RUN)).as(submit.output()).isZero();
        String id = EventCodec.mapper().readTree(submit.stdout().lines().findFirst().orElseThrow()).path("id").asText();

        CliProcess watch = CliProcess.switchback(ROOT, Map.of("SWITCHBACK_URL", second,
                "SWITCHBACK_TOKEN", releaser.get("SWITCHBACK_TOKEN")), "status", id, "--watch");

        assertThat(watch.await(RUN)).as(watch.output()).isZero();
        long cutover = watch.arrivalOf("traffic.cutover-completed");
        long promoted = watch.arrivalOf("ended LIVE, promoted");
        assertThat(promoted - cutover).as("the cutover printed when it happened, the 10 s bake before the promotion")
                .isGreaterThan(5_000);
        assertThat(watch.arrivalOf("deployment.green-ready")).isLessThanOrEqualTo(cutover);
        assertThat(watch.stdout()).contains("migration").contains("traffic.cutover-started");
    }

    @Test
    @Order(3)
    void shouldExitRolledBackWhenAnalysisSwitchesTrafficBack() throws Exception {
        CliProcess release = CliProcess.switchback(ROOT, releaser, "release", "sample-app", "local", "1.3.0-fail",
                "--wait", "--timeout", "3m");

        assertThat(release.await(RUN)).as(release.output()).isEqualTo(3);
        assertThat(release.stdout()).contains("traffic.analysis-failed").contains("ended ROLLED_BACK");
        assertThat(routerVersion()).isEqualTo("1.2.0");
    }

    @Test
    @Order(4)
    void shouldExitTimedOutWhenTheReleaseOutlastsTheTimeout() throws Exception {
        long started = System.nanoTime();
        CliProcess release = CliProcess.switchback(ROOT, releaser, "release", "sample-app", "local", "1.4.0",
                "--wait", "--timeout", "2s");

        assertThat(release.await(RUN)).as(release.output()).isEqualTo(7);
        assertThat(release.stderr()).contains("gave up after 2s").contains("goes on without this command");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    @Order(5)
    void shouldRefuseAnUnsafeMigrationInLintNamingTheRule() throws Exception {
        Path unsafe = Files.writeString(work.resolve("V9__index_note_body.sql"), "CREATE INDEX notes_body ON notes (body);\n");

        // Through ./suite cli, as a person at the suite runs it.
        CliProcess lint = CliProcess.start(List.of("bash", ROOT.resolve("suite").toString(), "cli", "lint", unsafe.toString()),
                Map.of(), ROOT);

        assertThat(lint.await(RUN)).as(lint.output()).isEqualTo(6);
        assertThat(lint.stdout()).contains("V9__index_note_body.sql:1: require-concurrent-index-creation").contains("refused");
    }

    @Test
    @Order(6)
    void shouldPrintTheRefusalsDetailWhenAViewerRollsBack() throws Exception {
        String viewer = suite.tokens().token("reader", "viewer");
        String detail = EventCodec.mapper().readTree(suite.send("POST", "/releases/" + promotedId + "/rollback", null, viewer)
                .body()).path("detail").asText();
        assertThat(detail).isNotBlank();

        CliProcess rollback = CliProcess.switchback(ROOT, Map.of("SWITCHBACK_URL", suite.config().url("release-api"),
                "SWITCHBACK_TOKEN", viewer), "rollback", promotedId);

        assertThat(rollback.await(RUN)).as(rollback.output()).isEqualTo(8);
        assertThat(rollback.stderr()).contains("Forbidden").contains(detail);
        assertThat(rollback.output()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    @Order(7)
    void shouldExitZeroOnceARollbackWaitedForHasPutTrafficBackOnBlue() throws Exception {
        String id = liveAndBaking("1.5.0");

        CliProcess rollback = CliProcess.switchback(ROOT, releaser, "rollback", id, "--reason", "seen enough", "--wait",
                "--timeout", "1m");

        assertThat(rollback.await(RUN)).as(rollback.output()).isZero();
        assertThat(rollback.stdout()).contains("rollback requested").contains("ended ROLLED_BACK");
        assertThat(routerVersion()).isEqualTo("1.4.0");
    }

    @Test
    @Order(8)
    void shouldExitZeroOnceAPromotionWaitedForIsDoneAndPrintTheFinalReleaseAsJson() throws Exception {
        String id = liveAndBaking("1.6.0");

        CliProcess promote = CliProcess.switchback(ROOT, releaser, "promote", id, "--wait", "--timeout", "1m",
                "--output", "json");

        assertThat(promote.await(RUN)).as(promote.output()).isZero();
        JsonNode last = EventCodec.mapper().readTree(promote.stdout().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(last.path("release").path("phase").asText()).as(promote.output()).isEqualTo("LIVE");
        assertThat(last.path("release").path("promotedAt").isTextual()).as(promote.output()).isTrue();
        assertThat(routerVersion()).isEqualTo("1.6.0");
    }

    @Test
    @Order(9)
    void shouldExitZeroOnceAnAbortWaitedForHasCancelledAReleaseAwaitingApproval() throws Exception {
        Path drop = Files.writeString(work.resolve("V3__drop_note_author.sql"), "ALTER TABLE notes DROP COLUMN author;\n");
        String id = awaitingApproval("release", "sample-app", "local", "1.6.0", "--change-kind", "contract",
                "--migration", drop.toString());

        CliProcess abort = CliProcess.switchback(ROOT, releaser, "abort", id, "--wait", "--timeout", "1m");

        assertThat(abort.await(RUN)).as(abort.output()).isZero();
        assertThat(abort.stdout()).contains("ended CANCELLED");
    }

    /** An approved release ships (deploy, cutover, a 10 s bake): its end cannot come within the 1 s given. */
    @Test
    @Order(10)
    void shouldExitTimedOutWhenAnApprovedReleaseWaitedForOutlastsTheTimeout() throws Exception {
        Path index = Files.writeString(work.resolve("V4__index_note_body.sql"), "CREATE INDEX notes_body ON notes (body);\n");
        String id = awaitingApproval("release", "sample-app", "local", "1.7.0", "--migration", index.toString(),
                "--allow-unsafe", "require-concurrent-index-creation=notes is small");

        CliProcess approve = CliProcess.switchback(ROOT, Map.of("SWITCHBACK_URL", suite.config().url("release-api"),
                "SWITCHBACK_TOKEN", suite.tokens().token("cli-approver", "approver")), "approve", id, "--wait",
                "--timeout", "1s");

        assertThat(approve.await(RUN)).as(approve.output()).isEqualTo(7);
        assertThat(approve.stdout()).contains("approved");
        assertThat(approve.stderr()).contains("gave up after 1s").contains("goes on without this command");
    }

    /** Ships the version and waits, with the CLI, until it is live and baking; answers its id. */
    private String liveAndBaking(String version) throws Exception {
        CliProcess release = CliProcess.switchback(ROOT, releaser, "release", "sample-app", "local", version, "--wait",
                "--until-live", "--timeout", "2m", "--output", "json");
        assertThat(release.await(RUN)).as(release.output()).isZero();
        JsonNode last = EventCodec.mapper().readTree(release.stdout().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(last.path("release").path("phase").asText()).as(release.output()).isEqualTo("LIVE");
        return EventCodec.mapper().readTree(release.stdout().lines().findFirst().orElseThrow()).path("id").asText();
    }

    /** Submits a release that needs an approval with the CLI; answers its id. */
    private String awaitingApproval(String... args) throws Exception {
        List<String> json = new java.util.ArrayList<>(List.of(args));
        json.addAll(List.of("--output", "json"));
        CliProcess submit = CliProcess.switchback(ROOT, releaser, json.toArray(String[]::new));
        assertThat(submit.await(RUN)).as(submit.output()).isZero();
        JsonNode accepted = EventCodec.mapper().readTree(submit.stdout().lines().findFirst().orElseThrow());
        assertThat(accepted.path("phase").asText()).as(submit.output()).isEqualTo("AWAITING_APPROVAL");
        return accepted.path("id").asText();
    }

    /** A second release-api process on the suite's database and broker, as a second replica runs; answers its URL. */
    private String startSecondReleaseApi() throws Exception {
        int port = dev.switchback.infra.Ports.free();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
                ROOT.resolve("release-api/target/quarkus-app/quarkus-run.jar").toString())
                .directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(suite.config().logs().resolve("release-api-1.log").toFile());
        builder.environment().putAll(Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                "KAFKA_BOOTSTRAP_SERVERS", suite.config().kafkaBootstrap(),
                "QUARKUS_DATASOURCE_JDBC_URL", suite.config().jdbcUrl("release_api"),
                "QUARKUS_DATASOURCE_USERNAME", "postgres", "QUARKUS_DATASOURCE_PASSWORD", "",
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", suite.tokens().publicKey().toAbsolutePath().toString(),
                "SWITCHBACK_REPLICA", "1"));
        secondReplica = builder.start();
        String url = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            assertThat(secondReplica.isAlive()).as("second release-api replica, see release-api-1.log").isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return url;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            assertThat(System.nanoTime()).as("second replica ready within 120 s").isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    private String routerVersion() throws Exception {
        HttpResponse<String> version = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + suite.config().routerPort() + "/version")).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
        return version.body();
    }
}
