package dev.switchback.audit.rest;

import dev.switchback.audit.AuditLog;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.Callers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The trail over HTTP: written under the caller's name and request id, exported as JSON lines or CSV, and checked. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "audit_rest"))
class AuditResourceTest {

    private static final UUID RELEASE = UUID.fromString("6f1c3a52-2c4b-4d8e-9a57-0c1f2b3d4e5f");

    @Inject
    AuditLog audit;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void emptyTrail() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement s = connection.createStatement()) {
            s.execute("DELETE FROM audit_entry");
            s.execute("ALTER SEQUENCE audit_entry_seq RESTART");
        }
        Callers.actAs("auditor", "viewer");
    }

    @Test
    void shouldRecordTheCallersSubjectAndRequestIdAndAnswerTheRequestId() {
        String requestId = given().header("Authorization", Callers.bearer("alice", "releaser"))
                .header("X-Request-Id", "req-42").queryParam("service", "sample-app")
                .post("/test-actions").then().statusCode(200).extract().header("X-Request-Id");

        assertThat(requestId).isEqualTo("req-42");
        List<String> lines = exportLines(given().get("/audit"));
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("\"actor\":\"alice\"", "\"action\":\"test.act\"", "\"requestId\":\"req-42\"");
    }

    @Test
    void shouldExportJsonLinesInOrderFilteredByServiceAndTime() {
        append("release.submit", "sample-app", "{\"version\":\"1.0.0\"}");
        Instant between = Instant.now();
        append("release.phase", "other-app", "MIGRATING");
        append("release.promote", "sample-app", "promoted");

        List<String> all = exportLines(given().get("/audit"));
        List<String> sampleApp = exportLines(given().queryParam("service", "sample-app").get("/audit"));
        List<String> later = exportLines(given().queryParam("from", between.toString()).get("/audit"));

        assertThat(all).hasSize(3);
        assertThat(all.get(0)).startsWith("{\"seq\":1,").contains("\"detail\":\"{\\\"version\\\":\\\"1.0.0\\\"}\"")
                .endsWith("\"chain\":\"sample-app/staging\",\"position\":1}");
        assertThat(all.get(2)).endsWith("\"chain\":\"sample-app/staging\",\"position\":2}");
        assertThat(sampleApp).hasSize(2).allSatisfy(line -> assertThat(line).contains("\"service\":\"sample-app\""));
        assertThat(later).hasSize(2).noneSatisfy(line -> assertThat(line).contains("release.submit"));
    }

    @Test
    void shouldExportCsvWithQuotedFieldsAndNoFormulaASpreadsheetWouldRun() {
        append("release.submit", "sample-app", "=HYPERLINK(\"http://evil\")");
        append("release.phase", "sample-app", "line one, \"quoted\"");

        Response response = given().queryParam("format", "csv").get("/audit");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/csv");
        List<String> lines = response.asString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("seq,at,actor,action,service,environment,release_id,request_id,detail,prev_hash,hash,chain,position");
        assertThat(lines.get(1)).startsWith("1,").contains(",\"pipeline\",\"release.submit\",\"sample-app\",\"staging\",\""
                + RELEASE + "\",,\"'=HYPERLINK(\"\"http://evil\"\")\",");
        assertThat(lines.get(2)).contains(",\"line one, \"\"quoted\"\"\",").endsWith(",\"sample-app/staging\",2");
        assertThat(given().header("Accept", "text/csv").get("/audit").asString()).isEqualTo(response.asString());
    }

    @Test
    void shouldAnswerTheVerificationAndRefuseACallerWithoutAToken() {
        append("release.submit", "sample-app", "x");

        given().get("/audit/verify").then().statusCode(200).body("status", equalTo("ok")).body("entries", equalTo(1))
                .body("chains", equalTo(1));
        Callers.anonymous();
        given().get("/audit").then().statusCode(401).contentType("application/problem+json");
    }

    private void append(String action, String service, String detail) {
        QuarkusTransaction.requiringNew().run(() -> audit.append(action, service, "staging", RELEASE, detail));
    }

    private static List<String> exportLines(Response response) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/x-ndjson");
        return response.asString().lines().toList();
    }
}
