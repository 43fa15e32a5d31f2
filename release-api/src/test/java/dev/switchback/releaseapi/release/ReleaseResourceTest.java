package dev.switchback.releaseapi.release;

import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.CutoverStarted;
import dev.switchback.events.GreenDeploying;
import dev.switchback.events.GreenReady;
import dev.switchback.events.MigrationFailed;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.ReleaseFailed;
import dev.switchback.events.ReleaseLive;
import dev.switchback.events.ReleaseQueued;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseRejected;
import dev.switchback.events.ReleaseRequested;
import dev.switchback.events.ReleaseRolledBack;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.events.RollbackRequested;
import dev.switchback.events.Topics;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.KafkaEvents;
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

import static dev.switchback.releaseapi.support.ReleaseApiFixture.awaitPhase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

/** release-api against a real broker and PostgreSQL: its REST contract and how it projects the pipeline's events. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_test"))
class ReleaseResourceTest extends ReleaseApiTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String SPEC = """
            {"artifact": "/opt/apps/demo-{version}.jar",
             "runtime": {"driver": "process", "command": ["java", "-jar", "{artifact}"]},
             "router": {"driver": "embedded", "port": %d},
             "health": {"path": "/health", "deadlineSeconds": 20}}
            """;

    @BeforeEach
    void registerService() {
        registerService("ci", "demo", SPEC, "local");
    }

    @Test
    void shouldAnswerProblemJsonForAnIncompleteRelease() {
        given().contentType(ContentType.JSON).body("{\"service\":\"" + service + "\"}")
                .post("/releases")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("status", equalTo(400))
                .body("violations.field", hasItems("environment", "version"));
    }

    @Test
    void shouldAnswerProblemJsonForMalformedJsonAndBadFields() {
        given().contentType(ContentType.JSON).body("{\"service\": ")
                .post("/releases")
                .then().statusCode(400).contentType(PROBLEM_JSON).body("detail", containsString("not valid JSON"));
        given().contentType(ContentType.JSON)
                .body("{\"service\":\"" + service + "\",\"environment\":\"local\",\"version\":\"one.two\"}")
                .post("/releases")
                .then().statusCode(400).contentType(PROBLEM_JSON).body("violations[0].field", equalTo("version"));
        given().contentType(ContentType.JSON)
                .body("{\"service\":\"../etc\",\"environment\":\"local\",\"version\":\"1.0.0\"}")
                .post("/releases")
                .then().statusCode(400).contentType(PROBLEM_JSON).body("violations[0].field", equalTo("service"));
        assertThat(given().queryParam("service", service).queryParam("environment", "local")
                .get("/releases").then().statusCode(200).extract().jsonPath().getList("id")).isEmpty();
    }

    @Test
    void shouldAnswer404ForAnUnknownRelease() {
        given().get("/releases/{id}", UUID.randomUUID())
                .then().statusCode(404).contentType(PROBLEM_JSON).body("status", equalTo(404));
        given().get("/releases/not-a-uuid").then().statusCode(404).contentType(PROBLEM_JSON);
        given().post("/releases/{id}/rollback", UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM_JSON);
    }

    @Test
    void shouldRefuseAReleaseOfAnUnregisteredServiceAndPublishTheRejection() {
        String unknown = "unknown-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON)
                .body("{\"service\":\"" + unknown + "\",\"environment\":\"local\",\"version\":\"1.0.0\"}")
                .post("/releases")
                .then().statusCode(422).contentType(PROBLEM_JSON).body("detail", containsString("has no spec"));

        KafkaEvents.Seen rejected = kafka.await(s -> s.isEvent() && s.event().data() instanceof ReleaseRejected
                && s.event().data().release().service().equals(unknown), TIMEOUT);
        assertThat(rejected.topic()).isEqualTo(Topics.RELEASES);
        assertThat(rejected.key()).isEqualTo(unknown + "/local");
    }

    @Test
    void shouldAcceptAReleaseStartItAndPublishWhatItAsks() {
        String id = submit("1.1.0", ",\"migrations\":[{\"version\":\"2\",\"description\":\"add column\",\"sql\":\"ALTER TABLE t ADD COLUMN c int\"}]");

        given().get("/releases/{id}", id).then().statusCode(200)
                .body("phase", equalTo("MIGRATING"))
                .body("version", equalTo("1.1.0"))
                .body("steps[0].event", equalTo("dev.switchback.release.started"));
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        assertThat(started.spec().artifact()).isEqualTo("/opt/apps/demo-1.1.0.jar");
        assertThat(started.spec().migrations()).singleElement().satisfies(m -> assertThat(m.version()).isEqualTo("2"));
        assertThat(kafka.typesOf(id, Topics.RELEASES))
                .containsExactly("dev.switchback.release.requested", "dev.switchback.release.started");
        assertThat(kafka.await(ReleaseRequested.class, id, TIMEOUT).release().key()).isEqualTo(service + "/local");
    }

    @Test
    void shouldFollowThePipelineToLiveThenRollBackOnRequest() {
        String id = submit("2.0.0", "");
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        ReleaseRef ref = started.release();

        kafka.publish("/switchback/db-migrator", new MigrationSucceeded(ref, started.spec(), List.of(), 3));
        kafka.publish("/switchback/deployer", new GreenDeploying(ref, "green-1", "http://127.0.0.1:1"));
        kafka.publish("/switchback/deployer", new GreenReady(ref, started.spec(), "green-1", "http://127.0.0.1:1"));
        kafka.publish("/switchback/traffic-switcher", new CutoverStarted(ref, 9999, "http://127.0.0.1:2", "http://127.0.0.1:1"));
        var completed = kafka.publish("/switchback/traffic-switcher",
                new CutoverCompleted(ref, 9999, "http://127.0.0.1:2", "http://127.0.0.1:1"));
        // A redelivered outcome must not be applied twice.
        kafka.republish(completed);

        awaitPhase(id, "LIVE");
        kafka.await(ReleaseLive.class, id, TIMEOUT);
        given().get("/releases/{id}", id).then()
                .body("liveAt", notNullValue())
                .body("endpoint", equalTo("http://127.0.0.1:1"))
                .body("steps.phase", hasItems("MIGRATING", "DEPLOYING", "SWITCHING", "LIVE"));

        given().post("/releases/{id}/rollback", id).then().statusCode(202).body("phase", equalTo("ROLLING_BACK"));
        given().post("/releases/{id}/rollback", id).then().statusCode(409).contentType(PROBLEM_JSON);
        kafka.await(RollbackRequested.class, id, TIMEOUT);
        kafka.publish("/switchback/traffic-switcher", new RollbackCompleted(ref, 9999, "http://127.0.0.1:2", "1.9.0"));

        awaitPhase(id, "ROLLED_BACK");
        assertThat(kafka.await(ReleaseRolledBack.class, id, TIMEOUT).restoredVersion()).isEqualTo("1.9.0");
        assertThat(kafka.typesOf(id, Topics.RELEASES).stream().filter(t -> t.equals("dev.switchback.release.live")))
                .as("one live event despite the redelivered cutover").hasSize(1);
    }

    @Test
    void shouldQueueASecondReleaseUntilTheFirstOneEnds() {
        String first = submit("3.0.0", "");
        String second = submit("3.1.0", "");

        given().get("/releases/{id}", second).then().body("phase", equalTo("QUEUED"));
        assertThat(kafka.await(ReleaseQueued.class, second, TIMEOUT).behindReleaseId()).isEqualTo(first);
        given().post("/releases/{id}/rollback", second).then().statusCode(409).contentType(PROBLEM_JSON);

        ReleaseRef ref = kafka.await(ReleaseStarted.class, first, TIMEOUT).release();
        kafka.publish("/switchback/db-migrator", new MigrationFailed(ref, "1", "syntax error at or near \"ALTERR\""));

        awaitPhase(first, "FAILED");
        assertThat(kafka.await(ReleaseFailed.class, first, TIMEOUT).stage()).isEqualTo("migration");
        awaitPhase(second, "MIGRATING");
        kafka.await(ReleaseStarted.class, second, TIMEOUT);
    }

    @Test
    void shouldReturnTheSameReleaseForARepeatedIdempotencyKey() {
        String key = "ci-run-" + UUID.randomUUID();
        String body = "{\"service\":\"" + service + "\",\"environment\":\"local\",\"version\":\"5.0.0\"}";

        String first = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/releases")
                .then().statusCode(202).extract().path("id");
        String again = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/releases")
                .then().statusCode(202).header("Idempotent-Replayed", "true").extract().path("id");

        assertThat(again).isEqualTo(first);
        given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body.replace("5.0.0", "5.0.1")).post("/releases")
                .then().statusCode(422).contentType(PROBLEM_JSON).body("detail", containsString("another request"));
        assertThat(given().queryParam("service", service).queryParam("environment", "local")
                .get("/releases").then().extract().jsonPath().getList("id")).containsExactly(first);
        kafka.await(ReleaseStarted.class, first, TIMEOUT);
        assertThat(kafka.typesOf(first, Topics.RELEASES)).containsExactly("dev.switchback.release.requested",
                "dev.switchback.release.started");
    }

    @Test
    void shouldShowTheQueueOfAServiceInOrder() {
        String first = submit("6.0.0", "");
        String second = submit("6.1.0", "");
        String third = submit("6.2.0", "");

        given().get("/services/{service}/queue", service).then().statusCode(200)
                .body("id", org.hamcrest.Matchers.contains(first, second, third))
                .body("phase", org.hamcrest.Matchers.contains("MIGRATING", "QUEUED", "QUEUED"));
    }

    @Test
    void shouldSendUnreadableEventsToTheDeadLetterTopicAndKeepGoing() {
        String garbage = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"nonsense\"}";
        kafka.publishRaw(Topics.DEPLOYMENTS, service + "/local", garbage);

        KafkaEvents.Seen dead = kafka.await(s -> s.topic().equals(Topics.DEAD_LETTER) && s.value().equals(garbage), TIMEOUT);
        assertThat(dead.headers().get("dead-letter-reason")).contains("source");

        String id = submit("4.0.0", "");
        awaitPhase(id, "MIGRATING");
    }

    private String submit(String version, String extra) {
        return given().contentType(ContentType.JSON)
                .body("{\"service\":\"" + service + "\",\"environment\":\"local\",\"version\":\"" + version + "\"" + extra + "}")
                .post("/releases")
                .then().statusCode(202)
                .header("Location", containsString("/releases/"))
                .extract().path("id");
    }

    @Test
    void shouldCarryTheRoutersDriverSettingsIntoTheReleaseSpecAndRefuseMalformedOnes() {
        String other = ReleaseApiFixture.newService("routed");
        String spec = """
                {"artifact": "/opt/apps/demo-{version}.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]},
                 "router": {"driver": "embedded", "port": %d, "settings": {%s}}}
                """;
        given().contentType(ContentType.JSON).body(spec.formatted(21500, "\"listener\": \"public\", \"gateway.name\": \"edge\""))
                .put("/services/{service}/environments/local", other).then().statusCode(201);
        String id = given().contentType(ContentType.JSON)
                .body("{\"service\":\"" + other + "\",\"environment\":\"local\",\"version\":\"1.0.0\"}")
                .post("/releases").then().statusCode(202).extract().path("id");
        assertThat(kafka.await(ReleaseStarted.class, id, TIMEOUT).spec().router().settings())
                .containsEntry("listener", "public").containsEntry("gateway.name", "edge").hasSize(2);

        for (String bad : List.of("\"bad key\": \"x\"", "\"$(id)\": \"x\"", "\"ok\": \"line\\nbreak\"")) {
            given().contentType(ContentType.JSON).body(spec.formatted(21501, bad))
                    .put("/services/{service}/environments/local", ReleaseApiFixture.newService("badly-routed"))
                    .then().statusCode(400).contentType(PROBLEM_JSON);
        }
    }

    @Test
    void shouldCarryTheNamedDatabaseSettingsAndSmokePathsIntoTheReleaseSpecAndRefuseMalformedOnes() {
        String other = ReleaseApiFixture.newService("proven");
        String spec = """
                {"artifact": "/opt/apps/demo-{version}.jar",
                 "runtime": {"command": ["java", "-jar", "{artifact}"], "env": {"DB_HOST": "db", "DB_NAME": "demo"},
                             "databaseEnv": {%s}},
                 "router": {"driver": "embedded", "port": %d},
                 "health": {"path": "/health", "smokePaths": [%s]}}
                """;
        given().contentType(ContentType.JSON).body(spec.formatted("\"host\": \"DB_HOST\", \"name\": \"DB_NAME\"", 21510,
                        "\"/notes\", \"/version\""))
                .put("/services/{service}/environments/local", other).then().statusCode(201);
        String id = given().contentType(ContentType.JSON)
                .body("{\"service\":\"" + other + "\",\"environment\":\"local\",\"version\":\"1.0.0\"}")
                .post("/releases").then().statusCode(202).extract().path("id");
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        assertThat(started.spec().runtime().databaseEnv()).containsEntry("host", "DB_HOST").containsEntry("name", "DB_NAME")
                .hasSize(2);
        assertThat(started.spec().health().smokePaths()).containsExactly("/notes", "/version");

        for (String[] bad : List.of(new String[] {"\"schema\": \"DB_SCHEMA\"", "\"/notes\""},
                new String[] {"\"host\": \"not a key\"", "\"/notes\""},
                new String[] {"\"host\": \"DB_HOST\"", "\"/../etc\""})) {
            given().contentType(ContentType.JSON).body(spec.formatted(bad[0], 21511, bad[1]))
                    .put("/services/{service}/environments/local", ReleaseApiFixture.newService("badly-proven"))
                    .then().statusCode(400).contentType(PROBLEM_JSON);
        }
    }
}
