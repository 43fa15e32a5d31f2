package dev.switchback.releaseapi.release;

import dev.switchback.events.ApprovalRejected;
import dev.switchback.events.ApprovalRequested;
import dev.switchback.events.ReleaseApproved;
import dev.switchback.events.ReleaseCancelled;
import dev.switchback.events.ReleaseRequested;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.events.Topics;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.auth.Tokens;
import dev.switchback.infra.test.Callers;
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

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** Four eyes: releases to a protected environment, and contract releases, wait for an approver who is not the requester. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_approval"))
class ApprovalTest extends ReleaseApiTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String ALICE = Callers.bearer("alice", "releaser", "approver");
    private static final String SPEC = """
            {"artifact": "/opt/apps/demo-{version}.jar",
             "runtime": {"driver": "process", "command": ["java", "-jar", "{artifact}"]},
             "router": {"driver": "embedded", "port": %d}}
            """;

    @BeforeEach
    void registerService() {
        registerService("platform-admin", "approved", SPEC, "production", "local");
        Callers.anonymous();
    }

    @Test
    void shouldHoldAProductionReleaseUntilAnotherApproverApprovesIt() {
        String id = submit(ALICE, "production", "2.0.0", "").statusCode(202)
                .body("phase", equalTo("AWAITING_APPROVAL")).extract().path("id");
        ApprovalRequested requested = kafka.await(ApprovalRequested.class, id, TIMEOUT);
        assertThat(requested.requestedBy()).isEqualTo("alice");
        assertThat(requested.reason()).contains("production", "protected");
        assertThat(requested.expiresAt()).isAfter(java.time.Instant.now().plus(Duration.ofHours(23)));
        assertThat(kafka.await(ReleaseRequested.class, id, TIMEOUT).requestedBy()).isEqualTo("alice");
        given().header("Authorization", Callers.bearer("viewer", "viewer")).get("/releases/{id}", id).then()
                .body("requestedBy", equalTo("alice")).body("approval.decision", equalTo("pending"))
                .body("conditions[0].type", equalTo("AwaitingApproval")).body("conditions[0].status", equalTo("True"));

        // The requester may not approve, even holding the role; a releaser without it may not either.
        approve(id, ALICE, "looks fine to me").statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("another approver"));
        approve(id, Callers.bearer("carol", "releaser"), null).statusCode(403);
        approve(id, "Bearer " + Tokens.forTests().token("dave", List.of("approver"), List.of("staging"),
                Duration.ofMinutes(5)), null).statusCode(403).body("detail", containsString("staging"));
        assertThat(kafka.typesOf(id, Topics.RELEASES)).doesNotContain("dev.switchback.release.started");

        approve(id, Callers.bearer("bob", "approver"), "change CHG-1234 reviewed").statusCode(200)
                .body("approvedBy", equalTo("bob"));
        ReleaseApproved approved = kafka.await(ReleaseApproved.class, id, TIMEOUT);
        assertThat(approved.requestedBy()).isEqualTo("alice");
        assertThat(approved.approvedBy()).isEqualTo("bob");
        assertThat(approved.comment()).isEqualTo("change CHG-1234 reviewed");
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        assertThat(started.requestedBy()).isEqualTo("alice");
        assertThat(started.approvedBy()).isEqualTo("bob");
        given().header("Authorization", ALICE).get("/releases/{id}", id).then()
                .body("phase", equalTo("MIGRATING"))
                .body("approval.decision", equalTo("approved")).body("approval.decidedBy", equalTo("bob"))
                .body("approval.comment", equalTo("change CHG-1234 reviewed"))
                .body("conditions[0].status", equalTo("False")).body("conditions[0].reason", equalTo("Approved"));
        approve(id, Callers.bearer("erin", "approver"), null).statusCode(409).body("detail", containsString("bob"));

        // Who asked and who approved are in the audit trail under their own names.
        String audit = given().header("Authorization", ALICE).queryParam("service", service).get("/audit")
                .then().statusCode(200).extract().asString();
        assertThat(audit.lines().filter(line -> line.contains("\"action\":\"release.submit\""))).singleElement()
                .asString().contains("\"actor\":\"alice\"");
        assertThat(audit.lines().filter(line -> line.contains("\"action\":\"release.approve\""))).singleElement()
                .asString().contains("\"actor\":\"bob\"", "CHG-1234");
    }

    @Test
    void shouldCancelARejectedReleaseAndNeverStartIt() {
        String id = submit(ALICE, "production", "2.1.0", "").statusCode(202).extract().path("id");
        given().header("Authorization", Callers.bearer("bob", "approver")).queryParam("comment", "not during the sale")
                .post("/releases/{id}/reject", id)
                .then().statusCode(200).body("phase", equalTo("CANCELLED"))
                .body("reason", equalTo("rejected by bob: not during the sale"));
        ApprovalRejected rejected = kafka.await(ApprovalRejected.class, id, TIMEOUT);
        assertThat(rejected.rejectedBy()).isEqualTo("bob");
        assertThat(rejected.requestedBy()).isEqualTo("alice");
        assertThat(kafka.await(ReleaseCancelled.class, id, TIMEOUT).reason()).contains("not during the sale");
        approve(id, Callers.bearer("erin", "approver"), null).statusCode(409);
        assertThat(kafka.typesOf(id, Topics.RELEASES)).doesNotContain("dev.switchback.release.started");
        given().header("Authorization", ALICE).get("/releases/{id}", id).then()
                .body("approval.decision", equalTo("rejected")).body("conditions[0].reason", equalTo("Rejected"));
    }

    @Test
    void shouldWaitForApprovalOfContractMigrationsOutsideTheQueue() {
        String contract = submit(ALICE, "local", "3.0.0", ",\"phase\":\"contract\",\"migrations\":"
                + "[{\"version\":\"9\",\"sql\":\"ALTER TABLE notes DROP COLUMN body\"}]").statusCode(202)
                .body("phase", equalTo("AWAITING_APPROVAL")).extract().path("id");
        assertThat(kafka.await(ApprovalRequested.class, contract, TIMEOUT).reason()).contains("contract");

        // An unprotected environment: an ordinary release needs no approval and is not held behind the waiting one.
        String ordinary = submit(ALICE, "local", "3.1.0", "").statusCode(202).body("phase", equalTo("MIGRATING"))
                .extract().path("id");
        ReleaseStarted started = kafka.await(ReleaseStarted.class, ordinary, TIMEOUT);
        assertThat(started.approvedBy()).isNull();
        given().header("Authorization", ALICE).get("/releases/{id}", ordinary).then()
                .body("approval", nullValue()).body("requestedBy", equalTo("alice"));

        // Approved while the ordinary one runs: it joins the queue behind it.
        approve(contract, Callers.bearer("bob", "approver"), null).statusCode(200).body("phase", equalTo("QUEUED"));
        given().header("Authorization", ALICE).get("/releases/{id}", contract).then().body("phase", equalTo("QUEUED"));
        given().header("Authorization", ALICE).get("/services/{service}/queue", service).then().statusCode(200)
                .body("size()", equalTo(2));
    }

    private io.restassured.response.ValidatableResponse submit(String authorization, String environment, String version,
                                                              String extra) {
        return given().header("Authorization", authorization).contentType(ContentType.JSON)
                .body("{\"service\":\"" + service + "\",\"environment\":\"" + environment + "\",\"version\":\"" + version
                        + "\"" + extra + "}")
                .post("/releases").then();
    }

    private static io.restassured.response.ValidatableResponse approve(String id, String authorization, String comment) {
        var request = given().header("Authorization", authorization);
        if (comment != null) {
            request.queryParam("comment", comment);
        }
        return request.post("/releases/{id}/approve", id).then();
    }
}
