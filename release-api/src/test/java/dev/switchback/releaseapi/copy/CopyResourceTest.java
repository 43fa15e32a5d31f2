package dev.switchback.releaseapi.copy;

import dev.switchback.events.CloudEvent;
import dev.switchback.events.CopyCreated;
import dev.switchback.events.CopyDropped;
import dev.switchback.events.CopyRequested;
import dev.switchback.events.CopyRetireRequested;
import dev.switchback.events.CopyRetired;
import dev.switchback.events.CopyStartFailed;
import dev.switchback.events.CopyStarted;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.events.Topics;
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
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static dev.switchback.releaseapi.support.ReleaseApiFixture.DEPLOYER;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.MIGRATOR;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.PROBLEM_JSON;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.TIMEOUT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * Copies of a release on request, against the real broker and PostgreSQL: admins only, validated, audited, one copy
 * per request and at most three being made or running per release, its state taken from what the migrator and the
 * deployer report (played here as they would), and retired on request once.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_test"))
class CopyResourceTest extends ReleaseApiTest {

    private static final String ADMIN = Callers.bearer("ada", "admin");
    private static final String SPEC = """
            {"artifact": "/opt/apps/demo.jar",
             "runtime": {"command": ["java", "-jar", "{artifact}"], "env": {"DB_URL": "jdbc:postgresql://127.0.0.1:5432/demo"}},
             "router": {"port": %d}, "health": {"path": "/health", "deadlineSeconds": 20},
             "database": {"url": "jdbc:postgresql://127.0.0.1:5432/demo", "username": "demo"}}
            """;
    private static final String NO_DATABASE = """
            {"artifact": "/opt/apps/demo.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]}, "router": {"port": %d}}
            """;

    private String releaseId;

    @BeforeEach
    void shipARelease() {
        registerService("platform-admin", "copied", SPEC, "local");
        releaseId = ReleaseApiFixture.submit(service, "local", "2.3.0");
    }

    @Test
    void shouldRecordAuditAndPublishACopyOfTheReleasesVersionForAnAdmin() {
        ValidatableResponse accepted = post(ADMIN, "{\"reason\": \"why did 2.3.0 fail\", \"retention\": \"PT2H\"}")
                .statusCode(202).body("state", equalTo("PREPARING")).body("version", equalTo("2.3.0"))
                .body("versionOf", equalTo("green")).body("retention", equalTo("PT2H")).body("requestedBy", equalTo("ada"));
        String copyId = accepted.extract().path("id");
        Instant created = Instant.parse(accepted.extract().path("createdAt"));
        Instant expires = Instant.parse(accepted.extract().path("expiresAt"));
        assertThat(accepted.extract().header("Location")).endsWith("/releases/" + releaseId + "/copies/" + copyId);

        CopyRequested requested = kafka.await(CopyRequested.class, releaseId, r -> r.copyId().equals(copyId), TIMEOUT);
        assertThat(Duration.between(created, expires)).isEqualTo(Duration.ofHours(2));
        assertThat(requested.expiresAt()).isEqualTo(expires);
        assertThat(requested.release().version()).isEqualTo("2.3.0");
        assertThat(requested.spec().database().url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/demo");
        assertThat(requested.requestedBy()).isEqualTo("ada");
        assertThat(requested.reason()).isEqualTo("why did 2.3.0 fail");
        given().header("Authorization", ADMIN).get("/audit?service=" + service + "&format=jsonl").then().statusCode(200)
                .body(containsString("release.copy-requested")).body(containsString("\"actor\":\"ada\""))
                .body(containsString("why did 2.3.0 fail"));
        list(Callers.bearer("olga", "viewer")).body("", hasSize(1)).body("[0].id", equalTo(copyId));
    }

    @Test
    void shouldRefuseEveryRoleButAdminAndRecordNothing() {
        for (String role : List.of("viewer", "releaser", "approver")) {
            post(Callers.bearer("someone", role), "{}").statusCode(403).contentType(PROBLEM_JSON);
        }
        given().header("Authorization", Callers.bearer("someone", "releaser"))
                .delete("/releases/{id}/copies/{copy}", releaseId, UUID.randomUUID()).then().statusCode(403);
        list(ADMIN).body("", hasSize(0));
        assertThat(kafka.typesOf(releaseId, Topics.RELEASES)).doesNotContain("dev.switchback.release.copy-requested");
    }

    @Test
    void shouldAnswerProblemsForUnknownReleasesBadBodiesAndReleasesThatCannotBeCopied() {
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{}")
                .post("/releases/{id}/copies", UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM_JSON);
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{}")
                .post("/releases/not-a-release/copies").then().statusCode(404).contentType(PROBLEM_JSON);
        given().header("Authorization", ADMIN).get("/releases/{id}/copies", UUID.randomUUID()).then().statusCode(404);
        post(ADMIN, "{\"retention\": \"two hours\"}").statusCode(400).contentType(PROBLEM_JSON)
                .body("detail", containsString("ISO-8601"));
        post(ADMIN, "{\"retention\": \"PT1S\"}").statusCode(422).contentType(PROBLEM_JSON);
        post(ADMIN, "{\"retention\": \"P30D\"}").statusCode(422).contentType(PROBLEM_JSON)
                .body("detail", containsString("PT24H"));
        post(ADMIN, "{\"reason\": \"bell\\u0007\"}").statusCode(400).contentType(PROBLEM_JSON);
        post(ADMIN, "[1]").statusCode(400).contentType(PROBLEM_JSON);
        list(ADMIN).body("", hasSize(0));

        ReleaseApiFixture.register(service, "staging", NO_DATABASE.formatted(23456));
        String bare = ReleaseApiFixture.submit(service, "staging", "2.3.0");
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{}")
                .post("/releases/{id}/copies", bare).then().statusCode(422).contentType(PROBLEM_JSON)
                .body("detail", containsString("no target database"));
        given().header("Authorization", ADMIN).get("/releases/{id}/copies", bare).then().statusCode(200).body("", hasSize(0));
        assertThat(kafka.typesOf(releaseId, Topics.RELEASES)).doesNotContain("dev.switchback.release.copy-requested");
        assertThat(kafka.typesOf(bare, Topics.RELEASES)).doesNotContain("dev.switchback.release.copy-requested");
    }

    @Test
    void shouldRefuseAContractReleaseAndAVersionWithNoDatabaseAddressToPointAtTheCopy() {
        String contract = given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body("{\"service\":\"" + service + "\",\"environment\":\"local\",\"version\":\"2.4.0\","
                        + "\"changeKind\":\"contract\",\"migrations\":[{\"version\":\"9\","
                        + "\"sql\":\"ALTER TABLE notes DROP COLUMN body\"}]}")
                .post("/releases").then().statusCode(202).extract().path("id");
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{}")
                .post("/releases/{id}/copies", contract).then().statusCode(422).contentType(PROBLEM_JSON)
                .body("detail", containsString("contract release"));

        ReleaseApiFixture.register(service, "qa", SPEC.replace("\"env\": {\"DB_URL\": \"jdbc:postgresql://127.0.0.1:5432/demo\"}",
                "\"env\": {\"MODE\": \"demo\"}").formatted(23457));
        String unaddressed = ReleaseApiFixture.submit(service, "qa", "2.3.0");
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{}")
                .post("/releases/{id}/copies", unaddressed).then().statusCode(422).contentType(PROBLEM_JSON)
                .body("detail", containsString("no database address"));

        for (String id : List.of(contract, unaddressed)) {
            given().header("Authorization", ADMIN).get("/releases/{id}/copies", id).then().statusCode(200).body("", hasSize(0));
            assertThat(kafka.typesOf(id, Topics.RELEASES)).doesNotContain("dev.switchback.release.copy-requested");
        }
    }

    @Test
    void shouldFollowTheCopyFromTheStagesAndRetireItOnceOnRequest() {
        String copyId = post(ADMIN, "{\"retention\": \"PT10M\"}").statusCode(202).extract().path("id");
        CopyRequested requested = kafka.await(CopyRequested.class, releaseId, r -> r.copyId().equals(copyId), TIMEOUT);
        Instant expires = requested.expiresAt();
        kafka.publish(MIGRATOR, new CopyCreated(requested.release(), copyId, "jdbc:postgresql://127.0.0.1:5432/demo_copy_x",
                "demo_copy_x", requested.spec(), expires));
        CloudEvent<SwitchbackEvent> started = kafka.publish(DEPLOYER, new CopyStarted(requested.release(), copyId,
                "copied-copy-1", "http://127.0.0.1:40404", "demo_copy_x", expires));
        await().atMost(TIMEOUT).untilAsserted(() -> list(ADMIN).body("[0].state", equalTo("RUNNING"))
                .body("[0].endpoint", equalTo("http://127.0.0.1:40404")).body("[0].database", equalTo("demo_copy_x")));

        delete(copyId, "seen enough").statusCode(202).body("state", equalTo("RETIRING"));
        delete(copyId, null).statusCode(409).contentType(PROBLEM_JSON);
        CopyRetireRequested retire = kafka.await(CopyRetireRequested.class, releaseId, r -> r.copyId().equals(copyId), TIMEOUT);
        assertThat(retire.requestedBy()).isEqualTo("ada");
        assertThat(retire.reason()).isEqualTo("seen enough");
        kafka.publish(DEPLOYER, new CopyRetired(requested.release(), copyId, "copied-copy-1", "retired by ada: seen enough"));
        kafka.publish(MIGRATOR, new CopyDropped(requested.release(), copyId, "demo_copy_x", "the copy was retired"));
        kafka.republish(started);

        await().atMost(TIMEOUT).untilAsserted(() -> list(ADMIN).body("[0].state", equalTo("RETIRED"))
                .body("[0].databaseDropped", equalTo(true)).body("[0].retiredReason", containsString("seen enough")));
        given().header("Authorization", ADMIN).get("/releases/{id}/copies/{copy}", releaseId, copyId).then()
                .statusCode(200).body("state", equalTo("RETIRED"));
        assertThat(kafka.typesOf(releaseId, Topics.RELEASES).stream()
                .filter("dev.switchback.release.copy-retire-requested"::equals)).hasSize(1);
        delete(UUID.randomUUID().toString(), null).statusCode(404).contentType(PROBLEM_JSON);
    }

    @Test
    void shouldShowAFailedCopyWithItsReason() {
        String copyId = post(ADMIN, "{}").statusCode(202).body("retention", equalTo("PT1H")).extract().path("id");
        CopyRequested requested = kafka.await(CopyRequested.class, releaseId, r -> r.copyId().equals(copyId), TIMEOUT);

        kafka.publish(DEPLOYER, new CopyStartFailed(requested.release(), copyId, "version 2.3.0 was not healthy within 20 s", "boom"));

        await().atMost(TIMEOUT).untilAsserted(() -> list(ADMIN).body("[0].state", equalTo("FAILED"))
                .body("[0].failure", containsString("not healthy")));
        delete(copyId, null).statusCode(409);
    }

    @Test
    void shouldMakeACopyForEachOfTwoRacingRequestsAndRefuseAFourthRunningCopy() {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<String>> racing = List.of(race(go), race(go));
        go.countDown();
        List<String> ids = racing.stream().map(CompletableFuture::join).toList();

        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
        post(ADMIN, "{}").statusCode(202);
        post(ADMIN, "{}").statusCode(409).contentType(PROBLEM_JSON).body("detail", containsString("retire one first"));
        list(ADMIN).body("", hasSize(3));
        await().atMost(TIMEOUT).until(() -> kafka.typesOf(releaseId, Topics.RELEASES).stream()
                .filter("dev.switchback.release.copy-requested"::equals).count() == 3);
    }

    private CompletableFuture<String> race(CountDownLatch go) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{}")
                    .post("/releases/{id}/copies", releaseId).then().statusCode(202).extract().path("id");
        });
    }

    private ValidatableResponse post(String token, String body) {
        return given().header("Authorization", token).contentType(ContentType.JSON).body(body)
                .post("/releases/{id}/copies", releaseId).then();
    }

    private ValidatableResponse delete(String copyId, String reason) {
        var request = given().header("Authorization", ADMIN);
        if (reason != null) {
            request.queryParam("reason", reason);
        }
        return request.delete("/releases/{id}/copies/{copy}", releaseId, copyId).then();
    }

    private ValidatableResponse list(String token) {
        return given().header("Authorization", token).get("/releases/{id}/copies", releaseId).then().statusCode(200);
    }
}
