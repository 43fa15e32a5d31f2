package dev.switchback.releaseapi.audit;

import dev.switchback.events.MigrationFailed;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.Callers;
import dev.switchback.infra.test.KafkaEvents;
import dev.switchback.releaseapi.support.ReleaseApiFixture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** The audit trail: who did what and what changed, exported as JSON lines and CSV, and a chain that shows tampering. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_audit"))
class AuditTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String SPEC = """
            {"artifact": "/opt/app.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]}, "router": {"port": %d}}
            """;
    private static KafkaEvents kafka;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    DataSource dataSource;

    private String service;

    @BeforeEach
    void setUp() {
        Callers.actAs("ci", "admin");
        kafka = ReleaseApiFixture.kafka(bootstrapServers);
        service = ReleaseApiFixture.newService("audited");
    }


    @Test
    void shouldRecordWhoDidWhatWithTheRequestIdAndWhatThePipelineChanged() {
        given().contentType(ContentType.JSON).header("Authorization", Callers.bearer("ci-bot", "admin")).header("X-Request-Id", "req-" + service)
                .body(SPEC.formatted(21001)).put("/services/{service}/environments/prod", service)
                .then().statusCode(201).header("X-Request-Id", "req-" + service);
        given().contentType(ContentType.JSON).header("Authorization", Callers.bearer("alice", "admin"))
                .body(SPEC.formatted(21002)).put("/services/{service}/environments/prod", service).then().statusCode(200);
        String id = given().contentType(ContentType.JSON).header("Authorization", Callers.bearer("ci-bot", "admin"))
                .body("{\"service\":\"" + service + "\",\"environment\":\"prod\",\"version\":\"1.0.0\"}")
                .post("/releases").then().statusCode(202).extract().path("id");
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        kafka.publish("/switchback/db-migrator", new MigrationFailed(started.release(), "1", "boom"));
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/releases/{id}", id).then().body("phase", equalTo("FAILED")));

        List<String> lines = given().queryParam("service", service).get("/audit").then().statusCode(200)
                .contentType("application/x-ndjson").extract().asString().lines().toList();

        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).contains("\"actor\":\"ci-bot\"", "\"action\":\"service-spec.put\"", "\"detail\":\"registered\"",
                "\"requestId\":\"req-" + service + "\"");
        assertThat(lines.get(1)).contains("\"actor\":\"alice\"", "router:", "21001", "21002");
        assertThat(lines.get(2)).contains("\"action\":\"release.submit\"", "version 1.0.0", id);
        assertThat(lines.get(3)).contains("\"actor\":\"ci-bot\"", "\"action\":\"release.phase\"", "QUEUED -> MIGRATING");
        assertThat(lines.get(4)).contains("\"actor\":\"pipeline\"", "MIGRATING -> FAILED", "boom");

        String csv = given().queryParam("service", service).queryParam("format", "csv").get("/audit").then().statusCode(200)
                .extract().asString();
        assertThat(csv.lines().findFirst()).hasValue("seq,at,actor,action,service,environment,release_id,request_id,detail,prev_hash,hash,chain,position");
        assertThat(csv.lines().count()).isEqualTo(6);
        given().get("/audit/verify").then().statusCode(200).body("status", equalTo("ok")).body("brokenAtSeq", nullValue());
    }

    @Test
    void shouldReportTheFirstEditedOrDeletedEntryWhenVerifying() throws SQLException {
        given().contentType(ContentType.JSON).header("Authorization", Callers.bearer("mallory", "admin")).body(SPEC.formatted(21003))
                .put("/services/{service}/environments/prod", service).then().statusCode(201);
        given().contentType(ContentType.JSON).body(SPEC.formatted(21004))
                .put("/services/{service}/environments/prod", service).then().statusCode(200);
        List<Long> seqs = given().queryParam("service", service).get("/audit").then().extract().asString().lines()
                .map(line -> Long.parseLong(line.replaceAll("^\\{\"seq\":(\\d+),.*", "$1"))).toList();
        long seq = seqs.get(0);
        given().get("/audit/verify").then().body("status", equalTo("ok"));

        String original = detail(seq);
        sql("UPDATE audit_entry SET actor = 'someone else' WHERE seq = " + seq);
        given().get("/audit/verify").then().statusCode(200).body("status", equalTo("broken"))
                .body("brokenAtSeq", equalTo((int) seq)).body("reason", equalTo("its content does not match its hash"));
        sql("UPDATE audit_entry SET actor = 'mallory' WHERE seq = " + seq);
        assertThat(detail(seq)).isEqualTo(original);
        given().get("/audit/verify").then().body("status", equalTo("ok"));

        sql("CREATE TABLE kept_entry AS SELECT * FROM audit_entry WHERE seq = " + seq);
        try {
            sql("DELETE FROM audit_entry WHERE seq = " + seq);
            // The service's chain now starts at its second entry.
            given().get("/audit/verify").then().body("status", equalTo("broken")).body("brokenAtSeq", equalTo(seqs.get(1).intValue()))
                    .body("reason", equalTo("entry 1 of chain " + service + "/prod is missing"));
        } finally {
            sql("INSERT INTO audit_entry SELECT * FROM kept_entry");
            sql("DROP TABLE kept_entry");
        }
        given().get("/audit/verify").then().body("status", equalTo("ok"));
    }

    private String detail(long seq) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT actor || '|' || detail FROM audit_entry WHERE seq = ?")) {
            select.setLong(1, seq);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.createStatement().execute(statement);
        }
    }
}
