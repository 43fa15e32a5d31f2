package dev.switchback.releaseapi.messaging;

import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.ReleaseRequested;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.infra.SaslKafkaTestResource;
import dev.switchback.infra.test.Callers;
import dev.switchback.infra.test.KafkaEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A broker that lets clients in only with SASL/PLAIN: release-api, given the credentials through the standard
 * {@code kafka.*} settings, starts, publishes through its outbox and consumes the pipeline's events.
 */
@QuarkusTest
@TestProfile(SaslKafkaTest.Sasl.class)
class SaslKafkaTest {

    /** A profile of its own: the SASL broker is started for this class only. */
    public static class Sasl implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SaslKafkaTestResource.class, Map.of("database", "release_api_sasl")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void shouldPublishAndConsumeThroughABrokerThatRequiresSaslPlain() {
        String bootstrap = SaslKafkaTestResource.broker().bootstrapServers();
        // The broker does refuse a client without credentials: the test would prove nothing otherwise.
        try (Admin plain = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            assertThatThrownBy(() -> plain.listTopics(new ListTopicsOptions().timeoutMs(3000)).names().get())
                    .isNotNull();
        }

        Callers.actAs("ci", "admin");
        String service = "sasl-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body("""
                {"artifact": "/opt/app.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]}, "router": {"port": 9996}}
                """).put("/services/{service}/environments/local", service).then().statusCode(201);
        String id = given().contentType(ContentType.JSON)
                .body("{\"service\":\"" + service + "\",\"environment\":\"local\",\"version\":\"1.0.0\"}")
                .post("/releases").then().statusCode(202).extract().path("id");

        try (KafkaEvents kafka = new KafkaEvents(bootstrap, SaslKafkaTestResource.CLIENT.clientConfig())) {
            assertThat(kafka.await(ReleaseRequested.class, id, TIMEOUT).requestedBy()).isEqualTo("ci");
            ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
            kafka.publish("/switchback/db-migrator", new MigrationSucceeded(started.release(), started.spec(), List.of(), 1));
            await().atMost(TIMEOUT).untilAsserted(() -> given().get("/releases/{id}", id).then()
                    .body("phase", equalTo("DEPLOYING")));
        }
        given().get("/q/health/ready").then().statusCode(200);
    }
}
