package dev.switchback.releaseapi.migration;

import dev.switchback.events.BackfillProgressed;
import dev.switchback.events.Migration;
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

import static dev.switchback.releaseapi.support.ReleaseApiFixture.MIGRATOR;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.PROBLEM_JSON;
import static dev.switchback.releaseapi.support.ReleaseApiFixture.TIMEOUT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

/** A backfill migration in a release request: its kind and batch settings validated, carried to the migrator, its progress in the history. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_test"))
class BackfillRequestTest extends ReleaseApiTest {

    private static final String FILL = "UPDATE notes SET author = 'unknown' WHERE author IS NULL";
    private static final String SPEC = """
            {"artifact": "/opt/apps/demo.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]},
             "router": {"port": %d}}
            """;

    @BeforeEach
    void registerService() {
        registerService("ci", "backfilled", SPEC, "local");
    }

    @Test
    void shouldRefuseABackfillWithAnUnknownKindOrBatchSettingsOutOfBounds() {
        String[] shapes = {
                "\"kind\":\"data\"", "\"kind\":\"backfill\",\"batchSize\":0", "\"kind\":\"backfill\",\"batchSize\":100001",
                "\"kind\":\"backfill\",\"pauseMillis\":-1", "\"kind\":\"backfill\",\"pauseMillis\":60001",
                "\"kind\":\"backfill\",\"batchSize\":\"many\"", "\"batchSize\":500", "\"kind\":\"schema\",\"pauseMillis\":5",
        };
        for (String shape : shapes) {
            submit("{\"version\":\"3\",\"sql\":\"" + FILL + "\"," + shape + "}").statusCode(400).contentType(PROBLEM_JSON);
        }
        submit("{\"version\":\"3\",\"sql\":\"" + FILL + "\",\"batchSize\":500}").statusCode(400)
                .body("violations.message", hasItem(org.hamcrest.Matchers.containsString("backfill")));
        given().queryParam("service", service).queryParam("environment", "local").get("/releases").then()
                .statusCode(200).body("", hasSize(0));
    }

    @Test
    void shouldCarryTheBackfillToTheMigratorAndRecordItsProgress() {
        String id = submit("{\"version\":\"2\",\"sql\":\"ALTER TABLE notes ADD COLUMN author TEXT\"},"
                + "{\"version\":\"3\",\"description\":\"fill author\",\"sql\":\"" + FILL + "\",\"kind\":\"backfill\","
                + "\"batchSize\":500,\"pauseMillis\":20}").statusCode(202).extract().path("id");
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        assertThat(started.spec().migrations()).extracting(Migration::kind).containsExactly(null, Migration.BACKFILL);
        Migration backfill = started.spec().migrations().get(1);
        assertThat(backfill.batchSize()).isEqualTo(500);
        assertThat(backfill.pauseMillis()).isEqualTo(20);

        kafka.publish(MIGRATOR, new BackfillProgressed(started.release(), "3", 20, 10_000, 40_000, false));
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/releases/{id}", id).then()
                .body("steps.reason", hasItem("backfill 3: 20 batch(es), 10000 row(s) so far of 40000 matched at the start"))
                .body("phase", org.hamcrest.Matchers.equalTo("MIGRATING")));
    }

    private ValidatableResponse submit(String migrations) {
        return given().contentType(ContentType.JSON)
                .body("{\"service\":\"" + service + "\",\"environment\":\"local\",\"version\":\"2.0.0\",\"migrations\":["
                        + migrations + "]}")
                .post("/releases").then();
    }
}
