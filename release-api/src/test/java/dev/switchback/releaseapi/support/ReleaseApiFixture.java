package dev.switchback.releaseapi.support;

import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.GreenReady;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.infra.test.KafkaEvents;
import io.restassured.http.ContentType;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * What release-api's tests do again and again: register a service, submit a release, play the stages' events, wait
 * for a phase. One Kafka client for the test JVM, against the shared broker.
 */
public final class ReleaseApiFixture {

    /** TIMEOUT: how long a test waits for the asynchronous pipeline. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** PROBLEM_JSON: the media type of every refusal. */
    public static final String PROBLEM_JSON = "application/problem+json";
    /** BLUE: the endpoint the played switcher reports for blue. */
    public static final String BLUE = "http://127.0.0.1:1";
    /** GREEN: the endpoint the played deployer reports for green. */
    public static final String GREEN = "http://127.0.0.1:2";
    /** MIGRATOR, DEPLOYER, SWITCHER: the sources the played stages publish as. */
    public static final String MIGRATOR = "/switchback/db-migrator";
    public static final String DEPLOYER = "/switchback/deployer";
    public static final String SWITCHER = "/switchback/traffic-switcher";

    private static KafkaEvents kafka;

    private ReleaseApiFixture() {
    }

    /** The test JVM's Kafka client, made on first use. */
    public static synchronized KafkaEvents kafka(String bootstrapServers) {
        if (kafka == null) {
            kafka = new KafkaEvents(bootstrapServers);
        }
        return kafka;
    }

    /** A service name no other test uses. */
    public static String newService(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Registers a service with a spec body (JSON) in an environment; the caller must hold admin. */
    public static void register(String service, String environment, String specJson) {
        given().contentType(ContentType.JSON).body(specJson)
                .put("/services/{service}/environments/{environment}", service, environment).then().statusCode(201);
    }

    /** Submits a release and answers its id. */
    public static String submit(String service, String environment, String version) {
        return given().contentType(ContentType.JSON)
                .body("{\"service\":\"" + service + "\",\"environment\":\"" + environment + "\",\"version\":\"" + version + "\"}")
                .post("/releases").then().statusCode(202).extract().path("id");
    }

    /** Waits until the release is in the phase. */
    public static void awaitPhase(String id, String phase) {
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/releases/{id}", id).then().body("phase", equalTo(phase)));
    }

    /** Plays the migrator, the deployer and the switcher until the started release is live; answers its ref. */
    public static ReleaseRef goLive(KafkaEvents kafka, String id) {
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        ReleaseRef ref = started.release();
        kafka.publish(MIGRATOR, new MigrationSucceeded(ref, started.spec(), List.of(), 1));
        kafka.publish(DEPLOYER, new GreenReady(ref, started.spec(), "g", GREEN));
        kafka.publish(SWITCHER, new CutoverCompleted(ref, 9999, BLUE, GREEN));
        awaitPhase(id, "LIVE");
        return ref;
    }
}
