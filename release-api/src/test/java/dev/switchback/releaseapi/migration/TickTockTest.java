package dev.switchback.releaseapi.migration;

import dev.switchback.events.BakeCompleted;
import dev.switchback.events.BlueChecked;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.GreenFailed;
import dev.switchback.events.GreenReady;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.ReleaseCancelled;
import dev.switchback.events.ReleaseLive;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.Callers;
import dev.switchback.releaseapi.support.ReleaseApiFixture;
import dev.switchback.releaseapi.support.ReleaseApiTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.switchback.releaseapi.support.ReleaseApiFixture.awaitPhase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

/** Schema-first releases through release-api: the lint endpoint, the dry run, contract releases and the split. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_test"))
class TickTockTest extends ReleaseApiTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String DROP_BODY = "{\"version\":\"3\",\"description\":\"drop body\",\"sql\":\"ALTER TABLE notes DROP COLUMN body\"}";
    private static final String TT_SPEC = """
            {"artifact": "/opt/apps/demo.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]},
             "router": {"port": 9999}}
            """;
    private static final String ADD_AUTHOR = "{\"version\":\"2\",\"description\":\"add author\",\"sql\":\"ALTER TABLE notes ADD COLUMN author text\"}";

    @BeforeEach
    void registerService() {
        registerService("ci", "tt", TT_SPEC, "local");
    }

    @Test
    void shouldLintSqlForCiWithVerdictAndViolations() {
        given().contentType(ContentType.JSON)
                .body("{\"sql\":\"ALTER TABLE notes ADD COLUMN a text;\\nCREATE INDEX i ON notes (a);\",\"phase\":\"expand\"}")
                .post("/migrations/lint")
                .then().statusCode(200)
                .body("verdict", equalTo("refused"))
                .body("violations[0].rule", equalTo("require-concurrent-index-creation"))
                .body("violations[0].line", equalTo(2))
                .body("violations[0].statement", equalTo("CREATE INDEX i ON notes (a)"))
                .body("violations[0].safeAlternative", containsString("CONCURRENTLY"));
        given().contentType(ContentType.JSON).body("{\"sql\":\"ALTER TABLE notes DROP COLUMN body\",\"phase\":\"contract\"}")
                .post("/migrations/lint")
                .then().statusCode(200).body("verdict", equalTo("allowed")).body("classification", equalTo("contract"));
        given().contentType(ContentType.JSON).body("{\"sql\":\"\",\"phase\":\"sideways\"}")
                .post("/migrations/lint")
                .then().statusCode(400).contentType(PROBLEM_JSON).body("violations.field", hasItem("phase"));
    }

    @Test
    void shouldRejectContractChangesRidingWithCodeNamingTheStatements() {
        ValidatableResponse response = submit("{\"service\":\"" + service + "\",\"environment\":\"local\",\"version\":\"2.0.0\","
                + "\"migrations\":[" + ADD_AUTHOR + "," + DROP_BODY + "]}");

        response.statusCode(422).contentType(PROBLEM_JSON)
                .body("detail", containsString("ALTER TABLE notes DROP COLUMN body"))
                .body("detail", containsString("split"))
                .body("violations[0].field", equalTo("migrations[3] line 1"));
        given().queryParam("service", service).queryParam("environment", "local").get("/releases")
                .then().body("$", hasSize(0));
    }

    @Test
    void shouldRejectOperationalHazardsInAnyPhase() {
        submit("{\"service\":\"" + service + "\",\"environment\":\"local\",\"version\":\"2.0.0\",\"phase\":\"contract\","
                + "\"migrations\":[{\"version\":\"4\",\"sql\":\"VACUUM FULL notes\"}]}")
                .statusCode(422).contentType(PROBLEM_JSON).body("detail", containsString("vacuum-full"));
    }

    @Test
    void shouldSplitCodeAndContractIntoLinkedReleasesThatRunInOrder() {
        ValidatableResponse response = submit("{\"service\":\"" + service + "\",\"environment\":\"local\",\"version\":\"2.0.0\","
                + "\"split\":true,\"migrations\":[" + ADD_AUTHOR + "," + DROP_BODY + "]}");
        String code = response.statusCode(202).extract().path("id");
        String contract = response.extract().path("linked[0].id");
        // Contract migrations always wait for a second person; approved early, the half still waits for the code.
        response.body("linked[0].phase", equalTo("AWAITING_APPROVAL")).body("linked[0].schemaOnly", equalTo(true));

        ReleaseStarted started = kafka.await(ReleaseStarted.class, code, TIMEOUT);
        assertThat(started.spec().migrations()).extracting(m -> m.version()).containsExactly("2");
        assertThat(started.spec().isContractRelease()).isFalse();
        approve(contract);
        given().get("/releases/{id}", contract).then().body("phase", equalTo("QUEUED"));

        ReleaseRef ref = started.release();
        kafka.publish("/switchback/db-migrator", new MigrationSucceeded(ref, started.spec(), List.of("2"), 5));
        kafka.publish("/switchback/deployer", new BlueChecked(ref, true, "http://127.0.0.1:1", "blue healthy"));
        kafka.publish("/switchback/deployer", new GreenReady(ref, started.spec(), "g", "http://127.0.0.1:2"));
        kafka.publish("/switchback/traffic-switcher", new CutoverCompleted(ref, 9999, "http://127.0.0.1:1", "http://127.0.0.1:2"));
        awaitPhase(code, "LIVE");
        // Blue still runs the old code during the bake and may still read what the contract drops: it waits.
        given().get("/releases/{id}", contract).then().body("phase", equalTo("QUEUED"));
        kafka.publish("/switchback/traffic-switcher", new BakeCompleted(ref, "bake passed", 3, 0, null));

        ReleaseStarted contractStarted = kafka.await(ReleaseStarted.class, contract, TIMEOUT);
        assertThat(contractStarted.approvedBy()).isEqualTo("reviewer");
        assertThat(contractStarted.requestedBy()).isEqualTo("ci");
        assertThat(contractStarted.spec().isContractRelease()).isTrue();
        assertThat(contractStarted.spec().phase()).isEqualTo("contract");
        assertThat(contractStarted.spec().migrations()).extracting(m -> m.version()).containsExactly("3");

        ReleaseRef contractRef = contractStarted.release();
        kafka.publish("/switchback/db-migrator", new MigrationSucceeded(contractRef, contractStarted.spec(), List.of("3"), 5));
        kafka.publish("/switchback/deployer", new BlueChecked(contractRef, true, "http://127.0.0.1:2", "blue healthy"));

        awaitPhase(contract, "LIVE");
        kafka.await(ReleaseLive.class, contract, TIMEOUT);
        given().post("/releases/{id}/rollback", contract).then().statusCode(409).body("detail", containsString("schema"));
        given().contentType(ContentType.JSON).body("{\"service\":\"" + service + "\",\"environment\":\"local\","
                        + "\"migrations\":[" + ADD_AUTHOR + "," + DROP_BODY + ",{\"version\":\"4\",\"sql\":\"SELECT 1\"}]}")
                .post("/migrations/plan")
                .then().statusCode(200)
                .body("steps.state", equalTo(List.of("applied", "applied", "pending")))
                .body("lint.verdict", equalTo("allowed"));
    }

    @Test
    void shouldCancelTheContractHalfWhenTheCodeHalfFails() {
        ValidatableResponse response = submit("{\"service\":\"" + service + "\",\"environment\":\"local\",\"version\":\"2.0.0\","
                + "\"split\":true,\"migrations\":[" + ADD_AUTHOR + "," + DROP_BODY + "]}");
        String code = response.statusCode(202).extract().path("id");
        String contract = response.extract().path("linked[0].id");
        ReleaseStarted started = kafka.await(ReleaseStarted.class, code, TIMEOUT);
        given().get("/releases/{id}", contract).then().body("phase", equalTo("AWAITING_APPROVAL"));

        // Not yet approved when the code half fails: it is cancelled all the same, not left waiting for a decision.
        kafka.publish("/switchback/deployer", new GreenFailed(started.release(), "g", "not healthy"));

        awaitPhase(code, "FAILED");
        awaitPhase(contract, "CANCELLED");
        assertThat(kafka.await(ReleaseCancelled.class, contract, TIMEOUT).reason()).contains(code);
        assertThat(kafka.typesOf(contract, dev.switchback.events.Topics.RELEASES)).doesNotContain("dev.switchback.release.started");
    }

    @Test
    void shouldFailAReleaseWhoseMigrationBreaksBlue() {
        String id = submit("{\"service\":\"" + service + "\",\"environment\":\"local\",\"version\":\"1.0.0\",\"phase\":\"contract\","
                + "\"migrations\":[" + DROP_BODY + "]}").statusCode(202).body("phase", equalTo("AWAITING_APPROVAL"))
                .extract().path("id");
        approve(id);
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);

        kafka.publish("/switchback/db-migrator", new MigrationSucceeded(started.release(), started.spec(), List.of("3"), 5));
        kafka.publish("/switchback/deployer", new BlueChecked(started.release(), false, "http://127.0.0.1:1",
                "http://127.0.0.1:1/health answered 503"));

        awaitPhase(id, "FAILED");
        given().get("/releases/{id}", id).then().body("reason", containsString("blue-check"))
                .body("reason", containsString("503"));
    }

    private static void approve(String id) {
        given().header("Authorization", Callers.bearer("reviewer", "approver")).queryParam("comment", "contract reviewed")
                .post("/releases/{id}/approve", id)
                .then().statusCode(200).body("approvedBy", equalTo("reviewer"));
    }

    private static ValidatableResponse submit(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/releases").then();
    }
}
