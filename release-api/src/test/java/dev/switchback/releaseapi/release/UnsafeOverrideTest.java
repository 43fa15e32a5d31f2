package dev.switchback.releaseapi.release;

import dev.switchback.events.ApprovalRequested;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.events.Topics;
import dev.switchback.events.UnsafeOverride;
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

import static dev.switchback.releaseapi.support.ReleaseApiFixture.PROBLEM_JSON;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.TIMEOUT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

/** allowUnsafe: an explicit override of named lint rules, approved by a second person in any environment, audited. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_approval"))
class UnsafeOverrideTest extends ReleaseApiTest {

    private static final String RULE = "require-concurrent-index-creation";
    private static final String REASON = "tags holds 40 rows; the write lock lasts milliseconds";
    /** ALICE: requests, and holds the approver role too, which does not let her approve her own override. */
    private static final String ALICE = Callers.bearer("alice", "releaser", "approver");
    private static final String BOB = Callers.bearer("bob", "approver");
    private static final String INDEX = "\"migrations\":[{\"version\":\"4\",\"sql\":\"CREATE INDEX tags_name ON tags (name)\"}]";
    private static final String OVERRIDE = "\"allowUnsafe\":[{\"rule\":\"" + RULE + "\",\"reason\":\"" + REASON + "\"}]";
    private static final String SPEC = """
            {"artifact": "/opt/apps/demo.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]},
             "router": {"port": %d}}
            """;

    @BeforeEach
    void registerService() {
        registerService("platform-admin", "unsafe", SPEC, "local");
        Callers.anonymous();
    }

    @Test
    void shouldStartAnOverrideOnlyOnceASecondPersonApprovesIt() {
        String id = submit(ALICE, "1.0.0", "," + INDEX + "," + OVERRIDE).statusCode(202)
                .body("phase", equalTo("AWAITING_APPROVAL")).extract().path("id");
        assertThat(kafka.await(ApprovalRequested.class, id, TIMEOUT).reason()).contains(RULE, REASON);
        given().header("Authorization", ALICE).get("/releases/{id}", id).then()
                .body("allowUnsafe[0].rule", equalTo(RULE)).body("allowUnsafe[0].reason", equalTo(REASON))
                .body("approval.reason", containsString(RULE));

        given().header("Authorization", ALICE).post("/releases/{id}/approve", id).then().statusCode(403)
                .contentType(PROBLEM_JSON).body("detail", containsString("another approver"));
        assertThat(kafka.typesOf(id, Topics.RELEASES)).doesNotContain("dev.switchback.release.started");

        given().header("Authorization", BOB).queryParam("comment", "reviewed the row count").post("/releases/{id}/approve", id)
                .then().statusCode(200);
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        assertThat(started.requestedBy()).isEqualTo("alice");
        assertThat(started.approvedBy()).isEqualTo("bob");
        assertThat(started.spec().allowUnsafeOrEmpty()).containsExactly(new UnsafeOverride(RULE, REASON));
        given().header("Authorization", ALICE).get("/releases/{id}", id).then()
                .body("steps.find { it.event == 'dev.switchback.release.approval-requested' }.reason",
                        containsString(RULE + " (" + REASON + ")"))
                .body("steps.find { it.event == 'dev.switchback.release.approved' }.reason", containsString("bob"));
        String audit = given().header("Authorization", ALICE).queryParam("service", service).get("/audit")
                .then().statusCode(200).extract().asString();
        assertThat(audit.lines().filter(line -> line.contains("\"action\":\"release.submit\""))).singleElement()
                .asString().contains("\"actor\":\"alice\"", RULE, REASON);
        assertThat(audit.lines().filter(line -> line.contains("\"action\":\"release.approve\""))).singleElement()
                .asString().contains("\"actor\":\"bob\"", "requested by alice", RULE, REASON);
    }

    @Test
    void shouldWaitForApprovalOfAnOverrideEvenWhereNothingElseNeedsIt() {
        String ordinary = submit(ALICE, "1.1.0", "").statusCode(202).body("phase", equalTo("MIGRATING"))
                .extract().path("id");
        String overriding = submit(ALICE, "1.1.1", "," + INDEX + "," + OVERRIDE).statusCode(202)
                .body("phase", equalTo("AWAITING_APPROVAL")).extract().path("id");
        assertThat(kafka.await(ReleaseStarted.class, ordinary, TIMEOUT).approvedBy()).isNull();
        kafka.await(ApprovalRequested.class, overriding, TIMEOUT);
        assertThat(kafka.typesOf(overriding, Topics.RELEASES)).doesNotContain("dev.switchback.release.started");
    }

    @Test
    void shouldRefuseAnOverrideThatOverridesNothing() {
        submit(ALICE, "1.2.0", ",\"migrations\":[{\"version\":\"4\",\"sql\":\"CREATE INDEX CONCURRENTLY tags_name ON tags (name)\"}],"
                + OVERRIDE).statusCode(422).contentType(PROBLEM_JSON)
                .body("detail", containsString("overrides nothing")).body("detail", containsString(RULE))
                .body("violations.field", hasItem("allowUnsafe"));
        submit(ALICE, "1.2.0", "," + OVERRIDE).statusCode(422).body("detail", containsString("overrides nothing"));
        assertNothingRecorded();
    }

    @Test
    void shouldRefuseOverridesOfTheWrongShape() {
        String[] shapes = {
                "\"allowUnsafe\":\"all\"",
                "\"allowUnsafe\":{\"rule\":\"" + RULE + "\",\"reason\":\"r\"}",
                "\"allowUnsafe\":[\"" + RULE + "\"]",
                "\"allowUnsafe\":[{\"rule\":\"" + RULE + "\"}]",
                "\"allowUnsafe\":[{\"reason\":\"" + REASON + "\"}]",
                "\"allowUnsafe\":[{\"rule\":\"Require Concurrent\",\"reason\":\"" + REASON + "\"}]",
                "\"allowUnsafe\":[{\"rule\":\"" + RULE + "\",\"reason\":\"   \"}]",
                "\"allowUnsafe\":[{\"rule\":\"" + RULE + "\",\"reason\":\"line\\nbreak\"}]",
                "\"allowUnsafe\":[{\"rule\":\"" + RULE + "\",\"reason\":\"" + "x".repeat(501) + "\"}]",
                "\"allowUnsafe\":[{\"rule\":\"" + RULE + "\",\"reason\":\"one\"},{\"rule\":\"" + RULE + "\",\"reason\":\"two\"}]",
                "\"allowUnsafe\":[null]",
        };
        for (String shape : shapes) {
            submit(ALICE, "1.3.0", "," + INDEX + "," + shape).statusCode(400).contentType(PROBLEM_JSON);
        }
        assertNothingRecorded();
    }

    private void assertNothingRecorded() {
        given().header("Authorization", ALICE).queryParam("service", service).queryParam("environment", "local")
                .get("/releases").then().statusCode(200).body("", hasSize(0));
    }

    private ValidatableResponse submit(String authorization, String version, String extra) {
        return given().header("Authorization", authorization).contentType(ContentType.JSON)
                .body("{\"service\":\"" + service + "\",\"environment\":\"local\",\"version\":\"" + version + "\"" + extra + "}")
                .post("/releases").then();
    }
}
