package dev.switchback.releaseapi.freeze;

import dev.switchback.events.ReleaseQueued;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.Callers;
import dev.switchback.infra.test.KafkaEvents;
import dev.switchback.releaseapi.support.ReleaseApiFixture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

/** Freeze windows: releases queue while one is on, run after it, and an emergency runs through it, recorded. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_test"))
class FreezeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String ZONE = "Europe/Berlin";
    private static KafkaEvents kafka;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private String environment;

    @BeforeEach
    void setUp() {
        Callers.actAs("ci", "admin");
        kafka = ReleaseApiFixture.kafka(bootstrapServers);
        environment = "frozen-" + UUID.randomUUID().toString().substring(0, 8);
    }


    @Test
    void shouldQueueReleasesDuringAFreezeAndRunThemWhenItEnds() {
        String freeze = freezeAroundNow();
        register("shop");

        String id = submit("shop", "");

        given().get("/releases/{id}", id).then().body("phase", equalTo("QUEUED"))
                .body("steps.reason", hasItem(org.hamcrest.Matchers.containsString("is frozen until")));
        assertThat(kafka.await(ReleaseQueued.class, id, TIMEOUT).behindReleaseId()).isNull();
        given().get("/environments/{environment}/freezes", environment).then().statusCode(200).body("$", hasSize(1))
                .body("[0].zone", equalTo(ZONE));

        given().delete("/environments/{environment}/freezes/{id}", environment, freeze).then().statusCode(204);

        await().atMost(TIMEOUT).untilAsserted(() ->
                given().get("/releases/{id}", id).then().body("phase", equalTo("MIGRATING")));
    }

    @Test
    void shouldRunAnEmergencyReleaseThroughAFreezeAndRecordWhy() {
        freezeAroundNow();
        register("payments");

        String id = submit("payments", ",\"emergency\":\"card payments down, hotfix INC-1234\"");

        given().get("/releases/{id}", id).then().body("phase", equalTo("MIGRATING"))
                .body("steps.reason", hasItem(org.hamcrest.Matchers.containsString("emergency override: card payments down")));
    }

    @Test
    void shouldRefuseAFreezeWithAnUnknownZoneOrBackwards() {
        given().contentType(ContentType.JSON)
                .body("{\"start\":\"2026-12-24T00:00\",\"end\":\"2026-12-27T00:00\",\"zone\":\"Mars/Olympus\",\"reason\":\"x\"}")
                .post("/environments/{environment}/freezes", environment)
                .then().statusCode(400).contentType("application/problem+json").body("violations[0].field", equalTo("zone"));
        given().contentType(ContentType.JSON)
                .body("{\"start\":\"2026-12-27T00:00\",\"end\":\"2026-12-24T00:00\",\"zone\":\"UTC\",\"reason\":\"x\"}")
                .post("/environments/{environment}/freezes", environment)
                .then().statusCode(400).contentType("application/problem+json").body("violations[0].field", equalTo("end"));
        given().get("/environments/{environment}/freezes", environment).then().body("$", hasSize(0));
    }

    @Test
    void shouldQueueReleasesDuringARecurringFreezeAndRunThemOnceItIsRemoved() {
        LocalDateTime now = LocalDateTime.now(ZoneId.of(ZONE));
        String schedule = given().contentType(ContentType.JSON)
                .body("{\"days\":[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\",\"SAT\",\"SUN\"],\"from\":\""
                        + now.minusHours(1).toLocalTime().withNano(0) + "\",\"to\":\"" + now.plusHours(1).toLocalTime().withNano(0)
                        + "\",\"zone\":\"" + ZONE + "\",\"reason\":\"nightly batch window\"}")
                .post("/environments/{environment}/freeze-schedules", environment)
                .then().statusCode(201).body("days", hasSize(7)).extract().path("id");
        register("ledger");

        String id = submit("ledger", "");

        given().get("/releases/{id}", id).then().body("phase", equalTo("QUEUED"))
                .body("steps.reason", hasItem(org.hamcrest.Matchers.containsString("nightly batch window")));
        given().get("/environments/{environment}/freeze-schedules", environment).then().body("$", hasSize(1));
        given().delete("/environments/{environment}/freeze-schedules/{id}", environment, schedule).then().statusCode(204);
        await().atMost(TIMEOUT).untilAsserted(() ->
                given().get("/releases/{id}", id).then().body("phase", equalTo("MIGRATING")));
    }

    @Test
    void shouldRefuseARecurringFreezeWithoutDaysOrWithAnUnknownDay() {
        given().contentType(ContentType.JSON)
                .body("{\"days\":[\"FUNDAY\"],\"from\":\"18:00\",\"to\":\"08:00\",\"zone\":\"UTC\",\"reason\":\"x\"}")
                .post("/environments/{environment}/freeze-schedules", environment)
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body("{\"days\":[],\"from\":\"18:00\",\"to\":\"08:00\",\"zone\":\"UTC\",\"reason\":\"x\"}")
                .post("/environments/{environment}/freeze-schedules", environment)
                .then().statusCode(400).contentType("application/problem+json");
        given().get("/environments/{environment}/freeze-schedules", environment).then().body("$", hasSize(0));
    }

    private String freezeAroundNow() {
        LocalDateTime now = LocalDateTime.now(ZoneId.of(ZONE));
        return given().contentType(ContentType.JSON)
                .body("{\"start\":\"" + now.minusHours(1) + "\",\"end\":\"" + now.plusHours(1) + "\",\"zone\":\"" + ZONE
                        + "\",\"reason\":\"year-end freeze\"}")
                .post("/environments/{environment}/freezes", environment)
                .then().statusCode(201).extract().path("id");
    }

    private void register(String service) {
        given().contentType(ContentType.JSON).body("""
                {"artifact": "/opt/app.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]}, "router": {"port": 9999}}
                """).put("/services/{service}/environments/{environment}", service, environment).then().statusCode(201);
    }

    private String submit(String service, String extra) {
        return given().contentType(ContentType.JSON)
                .body("{\"service\":\"" + service + "\",\"environment\":\"" + environment + "\",\"version\":\"1.0.0\"" + extra + "}")
                .post("/releases").then().statusCode(202).extract().path("id");
    }
}
