package dev.switchback.releaseapi.release;

import dev.switchback.events.AnalysisFailed;
import dev.switchback.events.AnalysisSpec;
import dev.switchback.events.BakeCompleted;
import dev.switchback.events.CanaryStepStarted;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.GreenReady;
import dev.switchback.events.Measurement;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.PromoteRequested;
import dev.switchback.events.ReleaseCancelled;
import dev.switchback.events.ReleasePromoted;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.events.RolloutSpec;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.releaseapi.support.ReleaseApiFixture;
import dev.switchback.releaseapi.support.ReleaseApiTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.switchback.releaseapi.support.ReleaseApiFixture.goLive;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.awaitPhase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** The bake as release-api shows it: conditions on the live release, promote, abort, rollback, and the queue. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_test"))
class BakeTest extends ReleaseApiTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String BLUE = "http://127.0.0.1:1";
    private static final String GREEN = "http://127.0.0.1:2";
    private static final String SPEC = """
            {"artifact": "/opt/apps/demo-{version}.jar",
             "runtime": {"command": ["java", "-jar", "{artifact}"]},
             "router": {"port": %d},
             "rollout": {"strategy": "canary", "steps": [{"weight": 10, "pauseSeconds": 5}, {"weight": 50, "pauseSeconds": 5}],
                         "bakeSeconds": 30, "analysis": {"maxErrorRate": 0.01, "probe": {"path": "/health", "perSecond": 20}}}}
            """;

    @BeforeEach
    void registerService() {
        registerService("ci", "bake", SPEC, "local");
    }

    @Test
    void shouldCarryTheServicesRolloutInTheReleaseSpec() {
        String id = submit("1.0.0");
        RolloutSpec rollout = kafka.await(ReleaseStarted.class, id, TIMEOUT).spec().rollout();

        assertThat(rollout.isCanary()).isTrue();
        assertThat(rollout.steps()).extracting(RolloutSpec.CanaryStep::weight).containsExactly(10, 50);
        assertThat(rollout.bake()).isEqualTo(30);
        assertThat(rollout.analysis().maxErrorRate()).isEqualTo(0.01);
        assertThat(rollout.analysis().maxP99Millis()).as("default").isEqualTo(1000);
        assertThat(rollout.analysis().probe().perSecond()).isEqualTo(20);
    }

    @Test
    void shouldRefuseARolloutThatCannotRun() {
        given().contentType(ContentType.JSON)
                .body("{\"runtime\":{\"command\":[\"x\"]},\"router\":{\"port\":20001},"
                        + "\"rollout\":{\"strategy\":\"canary\",\"steps\":[{\"weight\":50,\"pauseSeconds\":5},{\"weight\":10,\"pauseSeconds\":5}]}}")
                .put("/services/{service}/environments/local", service)
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("violations.message", org.hamcrest.Matchers.hasItem(containsString("rising weights")));
        given().contentType(ContentType.JSON)
                .body("{\"runtime\":{\"command\":[\"x\"]},\"router\":{\"port\":20001},\"rollout\":{\"bakeSeconds\":-1}}")
                .put("/services/{service}/environments/local", service)
                .then().statusCode(400).contentType(PROBLEM_JSON);
    }

    @Test
    void shouldHoldTheQueueWhileBakingAndStartTheNextReleaseOncePromoted() {
        String first = submit("1.0.0");
        String second = submit("1.1.0");
        ReleaseRef ref = goLive(kafka, first);

        given().get("/releases/{id}", first).then()
                .body("phase", equalTo("LIVE"))
                .body("promotedAt", nullValue())
                .body("conditions.type", contains("Baking", "Promoted"))
                .body("conditions.status", contains("True", "False"));
        given().get("/releases/{id}", second).then().body("phase", equalTo("QUEUED"));
        given().get("/services/{service}/queue", service).then().body("id", contains(first, second));

        given().post("/releases/{id}/promote?reason=looks good", first).then().statusCode(202);
        assertThat(kafka.await(PromoteRequested.class, first, TIMEOUT).reason()).isEqualTo("looks good");
        given().get("/releases/{id}", second).then().body("phase", equalTo("QUEUED"));

        kafka.publish("/switchback/traffic-switcher", new BakeCompleted(ref, "promoted on request: looks good", 4, 1, null));

        assertThat(kafka.await(ReleasePromoted.class, first, TIMEOUT).reason()).contains("looks good");
        awaitPhase(second, "MIGRATING");
        given().get("/releases/{id}", first).then()
                .body("phase", equalTo("LIVE"))
                .body("promotedAt", notNullValue())
                .body("conditions.status", contains("False", "True"));
        given().post("/releases/{id}/promote", first).then().statusCode(409).contentType(PROBLEM_JSON);
    }

    @Test
    void shouldRefuseRollbackAfterPromotionAndNameTheVersionToShipInstead() {
        ReleaseRef first = goLive(kafka, submit("1.0.0"));
        kafka.publish("/switchback/traffic-switcher", new BakeCompleted(first, "first release", 0, 0, null));
        awaitPromoted(first.id());
        String second = submit("2.0.0");
        ReleaseRef ref = goLive(kafka, second);
        kafka.publish("/switchback/traffic-switcher", new BakeCompleted(ref, "bake passed", 30, 0, null));
        awaitPromoted(second);

        given().post("/releases/{id}/rollback", second).then().statusCode(409).contentType(PROBLEM_JSON)
                .body("detail", containsString("retired"))
                .body("detail", containsString("To go back to 1.0.0, ship it as a new release"));
    }

    @Test
    void shouldShowAnAutomaticRollbackWithTheMeasuredValuesThenRunTheNextRelease() {
        String first = submit("1.0.0");
        String second = submit("1.1.0");
        ReleaseRef ref = goLive(kafka, first);

        Measurement breach = new Measurement(GREEN, 40, 12, 0.3, 12.0, Measurement.FAIL,
                "error rate 0.300 (12 of 40) above the maximum 0.010");
        kafka.publish("/switchback/traffic-switcher", new AnalysisFailed(ref, breach, AnalysisSpec.withDefaults(null)));
        awaitPhase(first, "ROLLING_BACK");
        kafka.publish("/switchback/traffic-switcher", new RollbackCompleted(ref, 9999, BLUE, "0.9.0",
                "analysis fail: " + breach.reason(), 3L));

        awaitPhase(first, "ROLLED_BACK");
        given().get("/releases/{id}", first).then()
                .body("reason", containsString("12 of 40"))
                .body("conditions.reason", contains("RolledBack", "RolledBack"));
        awaitPhase(second, "MIGRATING");
    }

    @Test
    void shouldShowCanaryStepsWhileSwitching() {
        String id = submit("1.0.0");
        ReleaseRef ref = kafka.await(ReleaseStarted.class, id, TIMEOUT).release();
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        kafka.publish("/switchback/db-migrator", new MigrationSucceeded(ref, started.spec(), List.of(), 1));
        kafka.publish("/switchback/deployer", new GreenReady(ref, started.spec(), "g", GREEN));
        kafka.publish("/switchback/traffic-switcher", new CanaryStepStarted(ref, 9999, 1, 2, 10, 5));

        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/releases/{id}", id).then()
                .body("phase", equalTo("SWITCHING"))
                .body("steps.reason", org.hamcrest.Matchers.hasItem("canary step 1/2: green takes 10% for 5 s")));
        given().post("/releases/{id}/promote", id).then().statusCode(202);
        kafka.await(PromoteRequested.class, id, TIMEOUT);
    }

    @Test
    void shouldAbortAReleaseBeforeCutoverAndRunTheNext() {
        String first = submit("1.0.0");
        String second = submit("1.1.0");
        kafka.await(ReleaseStarted.class, first, TIMEOUT);

        given().post("/releases/{id}/abort?reason=wrong build", first).then().statusCode(200)
                .body("phase", equalTo("CANCELLED"))
                .body("reason", equalTo("aborted: wrong build"));

        assertThat(kafka.await(ReleaseCancelled.class, first, TIMEOUT).reason()).isEqualTo("aborted: wrong build");
        awaitPhase(second, "MIGRATING");
        given().post("/releases/{id}/abort", first).then().statusCode(409).contentType(PROBLEM_JSON);
        given().post("/releases/{id}/abort", UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM_JSON);
    }

    @Test
    void shouldRefuseToAbortALiveReleaseAndPointToRollback() {
        String id = submit("1.0.0");
        goLive(kafka, id);

        given().post("/releases/{id}/abort", id).then().statusCode(409).contentType(PROBLEM_JSON)
                .body("detail", containsString("/rollback"));
        given().get("/releases/{id}", id).then().body("phase", equalTo("LIVE"));
    }

    private String submit(String version) {
        return given().contentType(ContentType.JSON)
                .body("{\"service\":\"" + service + "\",\"environment\":\"local\",\"version\":\"" + version + "\"}")
                .post("/releases")
                .then().statusCode(202).extract().path("id");
    }

    private static void awaitPromoted(String id) {
        await().atMost(TIMEOUT).untilAsserted(() ->
                given().get("/releases/{id}", id).then().body("promotedAt", notNullValue()));
    }
}
