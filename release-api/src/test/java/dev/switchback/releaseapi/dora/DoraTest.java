package dev.switchback.releaseapi.dora;

import dev.switchback.events.AnalysisFailed;
import dev.switchback.events.AnalysisSpec;
import dev.switchback.events.BakeCompleted;
import dev.switchback.events.Measurement;
import dev.switchback.events.MigrationFailed;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.releaseapi.support.ReleaseApiTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static dev.switchback.releaseapi.support.ReleaseApiFixture.BLUE;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.MIGRATOR;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.PROBLEM_JSON;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.SWITCHER;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.TIMEOUT;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.awaitPhase;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.goLive;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code GET /metrics/dora} over a history made by releases through the pipeline's events: two promoted, one rolled
 * back by analysis after its cutover, one failed in its migration before any traffic moved. The expected figures are
 * computed from the times of the steps the events left in each release's history.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_test"))
class DoraTest extends ReleaseApiTest {

    private static final String SPEC = """
            {"artifact": "/opt/apps/demo-{version}.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]},
             "router": {"port": %d}, "rollout": {"bakeSeconds": 30}}
            """;
    private static final Instant FIRST_COMMIT = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private static final Instant SECOND_COMMIT = FIRST_COMMIT.plus(75, ChronoUnit.MINUTES);
    private static final Instant ROLLED_BACK_COMMIT = SECOND_COMMIT.plus(20, ChronoUnit.MINUTES);
    private static final Duration RESTORE_PAUSE = Duration.ofMillis(400);

    @BeforeEach
    void registerService() {
        registerService("ci", "dora", SPEC, "local");
    }

    @Test
    void shouldMeasureFrequencyLeadTimeFailureRateAndRestoreFromTheReleasesHistory() throws Exception {
        String first = submit("1.0.0", FIRST_COMMIT.toString());
        promote(goLive(kafka, first));
        // An offset other than Z: the same instant, read as RFC 3339.
        String second = submit("1.1.0", java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")
                .format(SECOND_COMMIT.atOffset(java.time.ZoneOffset.ofHours(2))));
        promote(goLive(kafka, second));
        String rolledBack = submit("1.2.0", ROLLED_BACK_COMMIT.toString());
        ReleaseRef ref = goLive(kafka, rolledBack);
        Measurement breach = new Measurement("http://127.0.0.1:2", 40, 12, 0.3, 12.0, Measurement.FAIL,
                "error rate 0.300 (12 of 40) above the maximum 0.050");
        kafka.publish(SWITCHER, new AnalysisFailed(ref, breach, AnalysisSpec.withDefaults(null)));
        awaitPhase(rolledBack, "ROLLING_BACK");
        Thread.sleep(RESTORE_PAUSE.toMillis());
        kafka.publish(SWITCHER, new RollbackCompleted(ref, 9999, BLUE, "1.1.0", "analysis fail: " + breach.reason(), 3L));
        awaitPhase(rolledBack, "ROLLED_BACK");
        String failed = submit("1.3.0", null);
        ReleaseStarted started = kafka.await(ReleaseStarted.class, failed, TIMEOUT);
        kafka.publish(MIGRATOR, new MigrationFailed(started.release(), "7", "column already exists"));
        awaitPhase(failed, "FAILED");

        JsonPath figures = given().get("/metrics/dora?service={service}&environment=local&window=P7D", service)
                .then().statusCode(200).body("window", equalTo("P7D")).body("figures.size()", equalTo(1))
                .extract().jsonPath().setRootPath("figures[0]");

        double firstLead = seconds(FIRST_COMMIT, liveAt(first));
        double secondLead = seconds(SECOND_COMMIT, liveAt(second));
        double restore = seconds(stepAt(rolledBack, "dev.switchback.traffic.analysis-failed"),
                stepAt(rolledBack, "dev.switchback.traffic.rollback-completed"));
        assertThat(figures.getString("service")).isEqualTo(service);
        assertThat(figures.getString("environment")).isEqualTo("local");
        assertThat(figures.getInt("deploymentFrequency.deployments")).isEqualTo(3);
        assertThat(figures.getDouble("deploymentFrequency.perDay")).isCloseTo(3 / 7.0, within(1e-6));
        assertThat(figures.getInt("leadTimeForChanges.samples")).isEqualTo(2);
        assertThat(figures.getDouble("leadTimeForChanges.medianSeconds")).isCloseTo((firstLead + secondLead) / 2, within(0.002));
        assertThat(figures.getDouble("leadTimeForChanges.maxSeconds")).isCloseTo(firstLead, within(0.002));
        assertThat(firstLead).as("an hour and a quarter between the commits, minutes between the releases")
                .isGreaterThan(secondLead + 60 * 60);
        assertThat(figures.getInt("changeFailureRate.cutovers")).isEqualTo(3);
        assertThat(figures.getInt("changeFailureRate.failures")).isEqualTo(1);
        assertThat(figures.getDouble("changeFailureRate.rate")).isCloseTo(1 / 3.0, within(1e-6));
        assertThat(figures.getInt("timeToRestore.samples")).isEqualTo(1);
        assertThat(figures.getDouble("timeToRestore.medianSeconds")).isCloseTo(restore, within(0.002))
                .isGreaterThanOrEqualTo(RESTORE_PAUSE.toMillis() / 1000.0);
        assertThat(figures.getMap("counts")).isEqualTo(Map.of("cutovers", 3, "live", 2, "rolledBack", 1,
                "rollingBack", 0, "failedAfterCutover", 0, "failedBeforeCutover", 1, "withCommitTime", 2));
    }

    @Test
    void shouldCountNothingOutsideTheWindowAndNothingForAnotherEnvironment() {
        String first = submit("1.0.0", FIRST_COMMIT.toString());
        promote(goLive(kafka, first));

        given().get("/metrics/dora?service={service}&window=PT1H", service).then().statusCode(200)
                .body("figures[0].deploymentFrequency.deployments", equalTo(1))
                .body("figures[0].changeFailureRate.rate", equalTo(0.0f))
                .body("figures[0].timeToRestore.medianSeconds", nullValue());
        given().get("/metrics/dora?service={service}&environment=production", service).then().statusCode(200)
                .body("figures.size()", equalTo(0));
        // A token limited to production sees none of local's figures, and may not ask for them.
        String production = "Bearer " + dev.switchback.infra.auth.Tokens.forTests().token("prod-viewer", List.of("viewer"),
                List.of("production"), Duration.ofMinutes(5));
        given().header("Authorization", production).get("/metrics/dora?service={service}", service).then()
                .statusCode(200).body("figures.size()", equalTo(0));
        given().header("Authorization", production).get("/metrics/dora?environment=local").then()
                .statusCode(403).contentType(PROBLEM_JSON);
    }

    @Test
    void shouldRefuseAWindowThatIsNoBoundedDuration() {
        for (String window : List.of("7", "P1W", "P7X", "PT1S", "P400D", "-P7D")) {
            given().get("/metrics/dora?window={window}", window).then().statusCode(400).contentType(PROBLEM_JSON)
                    .body("violations.field", hasItem("window"));
        }
        given().get("/metrics/dora?service=Not_A_Name").then().statusCode(400).contentType(PROBLEM_JSON);
    }

    @Test
    void shouldRefuseACommitTimeThatIsNoRfc3339TimeOrLiesAheadAndRecordNothing() {
        for (String commitTime : List.of("yesterday", "2026-12-01", "2026-12-01T10:15:30", "2026-13-01T10:15:30Z",
                "2026-12-01T25:15:30Z", Instant.now().plus(1, ChronoUnit.HOURS).toString())) {
            given().contentType(ContentType.JSON).body(Map.of("service", service, "environment", "local",
                            "version", "1.0.0", "commitTime", commitTime))
                    .post("/releases").then().statusCode(400).contentType(PROBLEM_JSON);
        }
        given().get("/releases?service={service}&environment=local", service).then().body("size()", equalTo(0));
    }

    @Test
    void shouldShowTheCommitTimeWithTheRelease() {
        String id = submit("1.0.0", "2026-12-01T10:15:30.25+01:00");
        given().get("/releases/{id}", id).then().body("commitTime", equalTo("2026-12-01T09:15:30.250Z"));
    }

    private String submit(String version, String commitTime) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("service", service, "environment", "local",
                "version", version));
        if (commitTime != null) {
            body.put("commitTime", commitTime);
        }
        return given().contentType(ContentType.JSON).body(body).post("/releases").then().statusCode(202)
                .extract().path("id");
    }

    private void promote(ReleaseRef ref) {
        kafka.publish(SWITCHER, new BakeCompleted(ref, "bake passed", 3, 0, null));
        org.awaitility.Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> given().get("/releases/{id}", ref.id())
                .then().body("promotedAt", org.hamcrest.Matchers.notNullValue()));
    }

    private static Instant liveAt(String id) {
        return Instant.parse(given().get("/releases/{id}", id).then().extract().path("liveAt"));
    }

    private static Instant stepAt(String id, String event) {
        List<Map<String, Object>> steps = given().get("/releases/{id}", id).then().extract().path("steps");
        return steps.stream().filter(s -> event.equals(s.get("event"))).map(s -> Instant.parse((String) s.get("at")))
                .findFirst().orElseThrow(() -> new AssertionError(id + " has no step " + event));
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
