package dev.switchback.releaseapi.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.CloudEvent;
import dev.switchback.events.EventCodec;
import dev.switchback.events.MigrationFailed;
import dev.switchback.events.ReleaseFailed;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.releaseapi.support.ReleaseApiFixture;
import dev.switchback.releaseapi.support.ReleaseApiTest;
import dev.switchback.releaseapi.webhook.service.DeliveryRecorder;
import dev.switchback.releaseapi.webhook.service.WebhookDispatcher;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.switchback.releaseapi.support.ReleaseApiFixture.PROBLEM_JSON;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.TIMEOUT;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.awaitPhase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * Webhooks of an environment against a real HTTP receiver: signed JSON that verifies and is retried after a refusal
 * or a timeout, Slack messages, bounded attempts, a redelivered event or racing replicas delivering once, and bad
 * subscriptions refused with nothing stored.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_test"))
class WebhookTest extends ReleaseApiTest {

    private static final String SPEC = """
            {"artifact": "/opt/apps/demo-{version}.jar",
             "runtime": {"driver": "process", "command": ["java", "-jar", "{artifact}"]},
             "router": {"driver": "embedded", "port": %d},
             "health": {"path": "/health", "deadlineSeconds": 20}}
            """;
    private static final String SECRET = "whsec-0123456789abcdef";
    private static final String FAILED_TYPE = "dev.switchback.release.failed";

    @Inject
    DeliveryRecorder recorder;

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    DataSource dataSource;

    private WebhookReceiver receiver;
    private String environment;

    @BeforeEach
    void setUp() throws Exception {
        environment = "hooks-" + UUID.randomUUID().toString().substring(0, 8);
        registerService("ci", "hooked", SPEC, environment);
        receiver = new WebhookReceiver(SECRET);
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    @Test
    void shouldDeliverASignedFailureRetriedAfterARefusalAndASlackMessageWhenLive() {
        String signed = subscribe("json", "/signed", "[\"failed\", \"rolled-back\"]", SECRET);
        String slack = subscribe("slack", "/ok", "[\"live\", \"promoted\"]", null);

        String failing = ReleaseApiFixture.submit(service, environment, "1.0.0");
        ReleaseStarted started = kafka.await(ReleaseStarted.class, failing, TIMEOUT);
        kafka.publish(ReleaseApiFixture.MIGRATOR, new MigrationFailed(started.release(), "1", "relation notes exists"));
        awaitPhase(failing, "FAILED");

        await().atMost(TIMEOUT).until(() -> receiver.taken("/signed").size() == 1);
        List<WebhookReceiver.Received> attempts = receiver.received("/signed");
        assertThat(attempts).extracting(WebhookReceiver.Received::answered).containsExactly(500, 200);
        assertThat(attempts).extracting(WebhookReceiver.Received::deliveryId).containsOnly(attempts.get(0).deliveryId());
        JsonNode body = json(attempts.get(1).body());
        assertThat(body.path("kind").asText()).isEqualTo("failed");
        assertThat(body.path("release").path("id").asText()).isEqualTo(failing);
        assertThat(body.path("event").path("type").asText()).isEqualTo(FAILED_TYPE);
        assertThat(body.path("summary").asText()).contains(service, "1.0.0", "relation notes exists");
        assertThat(attempts.get(1).event()).isEqualTo("failed");
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/webhooks/{id}/deliveries", signed).then().statusCode(200)
                .body("[0].state", equalTo("DELIVERED")).body("[0].attempts", equalTo(2))
                .body("[0].lastStatus", equalTo(200)).body("[0].lastError", equalTo("HTTP 500: receiver warming up"))
                .body("[0].releaseId", equalTo(failing)).body("[0].event", equalTo("failed")));

        String live = ReleaseApiFixture.submit(service, environment, "1.1.0");
        ReleaseApiFixture.goLive(kafka, live);

        await().atMost(TIMEOUT).until(() -> !receiver.taken("/ok").isEmpty());
        JsonNode message = json(receiver.taken("/ok").get(0).body());
        assertThat(message.path("text").asText()).contains(service, "1.1.0", "is live in " + environment);
        assertThat(message.path("blocks").get(0).path("type").asText()).isEqualTo("section");
        assertThat(message.path("blocks").get(0).path("text").path("type").asText()).isEqualTo("mrkdwn");
        assertThat(receiver.taken("/ok").get(0).signature()).isNull();
        given().get("/webhooks/{id}/deliveries", slack).then().body("[0].state", equalTo("DELIVERED"))
                .body("[0].event", equalTo("live"));
        // The signed subscription chose failures only: the release going live is not sent to it.
        assertThat(receiver.received("/signed")).hasSize(2);
        given().get("/webhooks/{id}", signed).then().statusCode(200).body("signed", equalTo(true))
                .body("secret", nullValue());
    }

    @Test
    void shouldRetryAnAttemptTheReceiverLeftUnansweredAndFailAfterTheLastAttempt() {
        String slow = subscribe("json", "/slow", "[\"failed\"]", SECRET);
        String down = subscribe("slack", "/down", "[\"failed\"]", null);

        String id = ReleaseApiFixture.submit(service, environment, "2.0.0");
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        kafka.publish(ReleaseApiFixture.MIGRATOR, new MigrationFailed(started.release(), "1", "boom"));

        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/webhooks/{id}/deliveries", slow).then()
                .body("[0].state", equalTo("DELIVERED")).body("[0].attempts", equalTo(2))
                .body("[0].lastError", equalTo("no answer within 1000 ms")));
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/webhooks/{id}/deliveries", down).then()
                .body("[0].state", equalTo("FAILED")).body("[0].attempts", equalTo(4))
                .body("[0].lastStatus", equalTo(503)).body("[0].lastError", equalTo("HTTP 503: ok")));
        assertThat(receiver.received("/down")).hasSize(4);
    }

    @Test
    void shouldDeliverARedeliveredEventOnce() {
        subscribe("json", "/signed", "[\"failed\"]", SECRET);
        String id = ReleaseApiFixture.submit(service, environment, "3.0.0");
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        kafka.publish(ReleaseApiFixture.MIGRATOR, new MigrationFailed(started.release(), "1", "boom"));
        CloudEvent<SwitchbackEvent> failed = kafka.await(seen -> seen.isEvent()
                && seen.event().type().equals(FAILED_TYPE) && seen.event().data().release().id().equals(id), TIMEOUT).event();
        await().atMost(TIMEOUT).until(() -> receiver.taken("/signed").size() == 1);

        kafka.republish(failed);
        kafka.republish(failed);
        // A later failure of the same service and environment rides the same partition, behind the redeliveries:
        // once it is delivered, the redeliveries were read before it.
        ReleaseRef marker = new ReleaseRef(UUID.randomUUID().toString(), service, environment, "3.0.1");
        kafka.publish("/switchback/release-api", new ReleaseFailed(marker, "migration", "marker"));
        await().atMost(TIMEOUT).until(() -> receiver.taken("/signed").size() == 2);

        assertThat(receiver.taken("/signed")).extracting(r -> json(r.body()).path("release").path("id").asText())
                .containsExactly(id, marker.id());
    }

    @Test
    void shouldRecordOnlyTheOutcomesASubscriptionCanAskForAndPassOverTheRest() throws Exception {
        subscribe("json", "/signed", "[\"failed\"]", SECRET);
        String id = ReleaseApiFixture.submit(service, environment, "4.0.0");
        CloudEvent<SwitchbackEvent> started = kafka.await(seen -> seen.isEvent() && seen.event().data() instanceof ReleaseStarted
                && seen.event().data().release().id().equals(id), TIMEOUT).event();
        kafka.publish(ReleaseApiFixture.MIGRATOR, new MigrationFailed(started.data().release(), "1", "boom"));
        CloudEvent<SwitchbackEvent> failed = kafka.await(seen -> seen.isEvent()
                && seen.event().type().equals(FAILED_TYPE) && seen.event().data().release().id().equals(id), TIMEOUT).event();
        await().atMost(TIMEOUT).until(() -> receiver.taken("/signed").size() == 1);

        // release.started is no outcome: the webhooks' consumer passed over it without a transaction, so it left no
        // processed_event row (release-api's other consumer does not read its own topic); the failure made one.
        assertThat(processed(failed.id())).isTrue();
        assertThat(processed(started.id())).isFalse();
    }

    private boolean processed(String eventId) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT 1 FROM processed_event WHERE event_id = ? AND topic = 'switchback.releases'")) {
            query.setString(1, eventId);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Test
    void shouldMakeAndSendOneDeliveryWhenReplicasRaceOverOneEvent() throws Exception {
        String subscription = subscribe("json", "/ok", "[\"failed\"]", SECRET);
        ReleaseRef ref = new ReleaseRef(UUID.randomUUID().toString(), service, environment, "4.0.0");
        CloudEvent<SwitchbackEvent> event = CloudEvent.of("/switchback/release-api",
                new ReleaseFailed(ref, "deployment", "green never healthy"), OffsetDateTime.now());

        List<Integer> made = race(() -> QuarkusTransaction.requiringNew().call(() -> recorder.record(event)));
        List<Integer> sent = race(() -> dispatcher.dispatchDue());

        assertThat(made.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1);
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/webhooks/{id}/deliveries", subscription).then()
                .body("state", equalTo(List.of("DELIVERED"))).body("[0].attempts", equalTo(1)));
        assertThat(receiver.received("/ok")).hasSize(1);
        assertThat(sent.stream().mapToInt(Integer::intValue).sum()).isLessThanOrEqualTo(1);
    }

    @Test
    void shouldRefuseABadSubscriptionWithProblemJsonAndStoreNothing() {
        String ok = receiver.url("/ok");
        List<String> bodies = List.of(
                body(environment, "ftp://example.com/hook", "json", "[\"failed\"]", SECRET),
                body(environment, "javascript:alert(1)", "slack", "[\"failed\"]", null),
                body(environment, "http:///no-host", "slack", "[\"failed\"]", null),
                body(environment, "https://user:pw@example.com/hook", "slack", "[\"failed\"]", null),
                body(environment, "https://example.com/a b", "slack", "[\"failed\"]", null),
                body(environment, ok, "teams", "[\"failed\"]", SECRET),
                body(environment, ok, "json", "[\"deployed\"]", SECRET),
                body(environment, ok, "json", "[]", SECRET),
                body(environment, ok, "json", "[\"failed\"]", null),
                body(environment, ok, "json", "[\"failed\"]", "short"),
                body("Not An Env", ok, "slack", "[\"failed\"]", null),
                "{\"environment\": ",
                "[]");
        for (String bad : bodies) {
            given().contentType(ContentType.JSON).body(bad).post("/webhooks").then().statusCode(400)
                    .contentType(PROBLEM_JSON).body("status", equalTo(400));
        }
        given().contentType(ContentType.JSON).body(body(environment, "ftp://example.com/hook", "json", "[\"failed\"]", SECRET))
                .post("/webhooks").then().body("violations.field", hasItem("url"));
        given().get("/webhooks?environment={environment}", environment).then().statusCode(200).body("$", empty());
        given().get("/webhooks/{id}", UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM_JSON);
        given().delete("/webhooks/{id}", UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM_JSON);
    }

    @Test
    void shouldStopDeliveringOnceASubscriptionIsDeleted() {
        String subscription = subscribe("slack", "/ok", "[\"failed\"]", null);
        given().get("/webhooks?environment={environment}", environment).then().body("id", hasItem(subscription));

        given().delete("/webhooks/{id}", subscription).then().statusCode(204);

        given().get("/webhooks?environment={environment}", environment).then().body("id", not(hasItem(subscription)));
        given().get("/webhooks/{id}/deliveries", subscription).then().statusCode(404);
        ReleaseRef ref = new ReleaseRef(UUID.randomUUID().toString(), service, environment, "5.0.0");
        CloudEvent<SwitchbackEvent> event = CloudEvent.of("/switchback/release-api",
                new ReleaseFailed(ref, "migration", "boom"), OffsetDateTime.now());
        assertThat(QuarkusTransaction.requiringNew().call(() -> recorder.record(event))).isZero();
    }

    /** Registers a subscription of the test's environment for a path of the receiver; answers its id. */
    private String subscribe(String kind, String path, String events, String secret) {
        return given().contentType(ContentType.JSON).body(body(environment, receiver.url(path), kind, events, secret))
                .post("/webhooks").then().statusCode(201).body("secret", nullValue()).extract().path("id");
    }

    private static String body(String environment, String url, String kind, String events, String secret) {
        return "{\"environment\":\"" + environment + "\",\"url\":\"" + url + "\",\"kind\":\"" + kind + "\",\"events\":"
                + events + (secret == null ? "" : ",\"secret\":\"" + secret + "\"") + "}";
    }

    /** Runs the task on four threads released at once, as four replicas would; answers each one's result. */
    private static <T> List<T> race(Callable<T> task) throws Exception {
        int replicas = 4;
        CyclicBarrier start = new CyclicBarrier(replicas);
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        try {
            List<Future<T>> results = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            List<T> answers = new ArrayList<>();
            for (Future<T> result : results) {
                answers.add(result.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static JsonNode json(String text) {
        try {
            return EventCodec.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
