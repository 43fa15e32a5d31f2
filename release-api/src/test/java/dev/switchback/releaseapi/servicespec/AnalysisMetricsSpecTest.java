package dev.switchback.releaseapi.servicespec;

import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.Callers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** A service spec's analysis metrics settings: Prometheus with templated queries kept, broken templates refused. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_test"))
class AnalysisMetricsSpecTest {

    private static final String SPEC = """
            {"artifact": "/opt/app.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]}, "router": {"port": 20998},
             "rollout": {"strategy": "canary", "steps": [{"weight": 20, "pauseSeconds": 30}], "bakeSeconds": 60,
                         "analysis": {"intervalMillis": 5000, "maxErrorRateOverBlue": %s, "metrics": %s}}}
            """;

    private String service;

    @BeforeEach
    void setUp() {
        Callers.actAs("ci", "admin");
        service = "svc-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void shouldKeepPrometheusQueriesAndTheComparisonWithBlue() {
        String metrics = """
                {"source": "prometheus", "selector": "app=\\"{{service}}\\",track=\\"{{color}}\\"",
                 "requests": "sum by (pod) (istio_requests_total{ {{selector}} })"}""";
        put(SPEC.formatted("0.02", metrics)).then().statusCode(201);

        given().get("/services/" + service + "/environments/production").then().statusCode(200)
                .body("rollout.analysis.metrics.source", equalTo("prometheus"))
                .body("rollout.analysis.metrics.requests", equalTo("sum by (pod) (istio_requests_total{ {{selector}} })"))
                .body("rollout.analysis.maxErrorRateOverBlue", equalTo(0.02f));
    }

    @Test
    void shouldRefuseBrokenMetricsSettingsByCategoryAndStoreNothing() {
        Map<String, String> refused = Map.of(
                "{\"source\": \"datadog\"}", "not one of router, prometheus",
                "{\"source\": \"router\", \"requests\": \"up\"}", "prometheus source only",
                "{\"source\": \"prometheus\", \"selector\": \"ns=\\\"{{namespace}}\\\"\"}", "unknown placeholder {{namespace}}",
                "{\"source\": \"prometheus\", \"selector\": \"{{selector}}\"}", "unknown placeholder {{selector}}",
                "{\"source\": \"prometheus\", \"errors\": \"up\\n\"}", "control characters",
                "{\"source\": \"prometheus\", \"latencyBuckets\": \"" + "x".repeat(2001) + "\"}", "1 to 2000 characters");
        refused.forEach((metrics, reason) -> put(SPEC.formatted("null", metrics)).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString(reason)));
        put(SPEC.formatted("1.5", "null")).then().statusCode(400).contentType("application/problem+json");

        given().get("/services/" + service + "/environments/production").then().statusCode(404);
    }

    private io.restassured.response.Response put(String body) {
        return given().contentType(ContentType.JSON).body(body).put("/services/" + service + "/environments/production");
    }
}
