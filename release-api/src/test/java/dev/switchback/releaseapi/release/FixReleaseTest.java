package dev.switchback.releaseapi.release;

import dev.switchback.events.BlueChecked;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.GreenReady;
import dev.switchback.events.MigrationSkipped;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseRequested;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.Callers;
import dev.switchback.releaseapi.support.ReleaseApiTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.switchback.releaseapi.support.ReleaseApiFixture.BLUE;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.DEPLOYER;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.GREEN;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.MIGRATOR;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.PROBLEM_JSON;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.SWITCHER;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.TIMEOUT;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.awaitPhase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

/** Roll forward: a fix release goes on past a broken blue, says so in its history and audit trail, and is still approved. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_test"))
class FixReleaseTest extends ReleaseApiTest {

    private static final String FIX = "1.4.0 leaks connections until /health fails; 1.4.1 closes them";
    private static final String RELEASER = Callers.bearer("rita", "releaser");
    private static final String SPEC = """
            {"artifact": "/opt/apps/demo.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]},
             "router": {"port": %d}}
            """;

    @BeforeEach
    void registerService() {
        registerService("platform-admin", "fixed", SPEC, "local", "production");
        Callers.actAs("olga", "viewer");
    }

    @Test
    void shouldRefuseAFixWithoutAReasonInWordsAndRecordNothing() {
        for (String fix : new String[]{"\"   \"", "\"\"", "\"broken\\u0007blue\"", "\"" + "x".repeat(501) + "\"",
                "{\"why\": \"blue\"}", "[\"blue\"]"}) {
            submit(RELEASER, "local", "1.4.1", ",\"fix\":" + fix).statusCode(400).contentType(PROBLEM_JSON);
        }
        submit(RELEASER, "local", "1.4.1", ",\"fix\":\"" + FIX + "\",\"changeKind\":\"contract\",\"migrations\":"
                + "[{\"version\":\"9\",\"sql\":\"ALTER TABLE notes DROP COLUMN body\"}]").statusCode(400)
                .contentType(PROBLEM_JSON).body("violations.message", hasItem(containsString("contract release")));
        given().header("Authorization", RELEASER).queryParam("service", service).queryParam("environment", "local")
                .get("/releases").then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void shouldLetAReleaserShipAFixPastABrokenBlueAndRecordWhy() {
        submit(Callers.bearer("victor", "viewer"), "local", "1.4.1", ",\"fix\":\"" + FIX + "\"").statusCode(403);
        String id = submit(RELEASER, "local", "1.4.1", ",\"fix\":\"" + FIX + "\"").statusCode(202)
                .body("phase", equalTo("MIGRATING")).extract().path("id");
        assertThat(kafka.await(ReleaseRequested.class, id, TIMEOUT).spec().fix()).isEqualTo(FIX);
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        assertThat(started.spec().fixRelease()).isTrue();
        ReleaseRef ref = started.release();

        kafka.publish(MIGRATOR, new MigrationSkipped(ref, started.spec(), "nothing to migrate"));
        kafka.publish(DEPLOYER, new BlueChecked(ref, false, BLUE, "answered 503; gate skipped for a fix release: " + FIX,
                true));
        kafka.publish(DEPLOYER, new GreenReady(ref, started.spec(), "g", GREEN));
        kafka.publish(SWITCHER, new CutoverCompleted(ref, 9999, BLUE, GREEN));
        awaitPhase(id, "LIVE");

        given().header("Authorization", RELEASER).get("/releases/{id}", id).then().statusCode(200)
                .body("fix", equalTo(FIX))
                .body("steps.find { it.event == 'dev.switchback.deployment.blue-checked' }.reason",
                        containsString("blue gate skipped for a fix release (" + FIX + ")"));
        given().header("Authorization", RELEASER).queryParam("service", service).queryParam("environment", "local")
                .get("/releases").then().body("[0].fix", equalTo(FIX));
        String audit = given().header("Authorization", Callers.bearer("ada", "admin")).queryParam("service", service)
                .get("/audit").then().statusCode(200).extract().asString();
        assertThat(audit.lines().filter(line -> line.contains("\"action\":\"release.submit\""))).singleElement()
                .asString().contains("\"actor\":\"rita\"", "fix release: " + FIX);
        assertThat(audit.lines().filter(line -> line.contains("\"action\":\"release.blue-gate-skipped\"")))
                .singleElement().asString().contains(FIX, "answered 503");
    }

    @Test
    void shouldStillFailAnOrdinaryReleaseWhoseBlueIsBrokenWhateverTheEventClaims() {
        String id = submit(RELEASER, "local", "1.4.2", "").statusCode(202).extract().path("id");
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        kafka.publish(MIGRATOR, new MigrationSkipped(started.release(), started.spec(), "nothing to migrate"));
        kafka.publish(DEPLOYER, new BlueChecked(started.release(), false, BLUE, "answered 503", true));
        awaitPhase(id, "FAILED");
        given().get("/releases/{id}", id).then().body("reason", containsString("answered 503")).body("fix", equalTo(null));
    }

    @Test
    void shouldStillNeedAnApproverForAFixToAProtectedEnvironment() {
        String id = submit(RELEASER, "production", "1.4.1", ",\"fix\":\"" + FIX + "\"").statusCode(202)
                .body("phase", equalTo("AWAITING_APPROVAL")).extract().path("id");
        given().header("Authorization", Callers.bearer("bob", "approver")).post("/releases/{id}/approve", id).then()
                .statusCode(200);
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        assertThat(started.approvedBy()).isEqualTo("bob");
        assertThat(started.spec().fix()).isEqualTo(FIX);
        given().header("Authorization", RELEASER).get("/releases/{id}", id).then()
                .body("steps.event", hasItem("dev.switchback.release.approved"));
    }

    private ValidatableResponse submit(String authorization, String environment, String version, String extra) {
        return given().header("Authorization", authorization).contentType(ContentType.JSON)
                .body("{\"service\":\"" + service + "\",\"environment\":\"" + environment + "\",\"version\":\"" + version
                        + "\"" + extra + "}")
                .post("/releases").then();
    }
}
