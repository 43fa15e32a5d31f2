package dev.switchback.releaseapi.dashboard;

import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.auth.Tokens;
import dev.switchback.infra.test.Callers;
import dev.switchback.releaseapi.support.ReleaseApiTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.switchback.releaseapi.support.ReleaseApiFixture.submit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * What the dashboard asks release-api besides the releases: who the token is ({@code GET /me}), which services are
 * registered where ({@code GET /services}), the other stages' views through release-api, and the page itself.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_test"))
class DashboardApiTest extends ReleaseApiTest {

    private static final String SPEC = """
            {"artifact": "/opt/apps/demo-{version}.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]}, "router": {"port": %d}}
            """;

    @BeforeEach
    void registerService() {
        registerService("ci", "dash", SPEC, "local", "staging");
    }

    @Test
    void shouldTellATokenItsSubjectImpliedRolesAndEnvironments() {
        given().header("Authorization", "Bearer " + limitedTo("local", "releaser")).get("/me").then().statusCode(200)
                .body("subject", equalTo("limited"))
                .body("roles", contains("viewer", "releaser"))
                .body("environments", contains("local"));
        given().header("Authorization", Callers.bearer("root", "admin")).get("/me").then().statusCode(200)
                .body("roles", contains("viewer", "releaser", "approver", "admin"))
                .body("environments", nullValue());
        given().header("Authorization", "").get("/me").then().statusCode(401);
    }

    @Test
    void shouldListRegisteredServicesOnlyInTheTokensEnvironments() {
        given().get("/services").then().statusCode(200)
                .body("findAll { it.service == '" + service + "' }.environment", contains("local", "staging"));
        given().header("Authorization", "Bearer " + limitedTo("staging", "viewer")).get("/services").then().statusCode(200)
                .body("environment", not(hasItem("local")))
                .body("findAll { it.service == '" + service + "' }.environment", contains("staging"));
    }

    @Test
    void shouldAnswerAProblemWhenAnotherStageCannotBeReachedOrTheCallIsRefused() {
        given().get("/instances?service=" + service + "&environment=local").then().statusCode(502)
                .contentType(startsWith("application/problem+json")).body("detail", containsString("deployer"));
        given().get("/instances?service=" + service).then().statusCode(400);
        given().header("Authorization", "Bearer " + limitedTo("staging", "viewer"))
                .get("/instances?service=" + service + "&environment=local").then().statusCode(403);

        String id = submit(service, "local", "1.0.0");
        given().get("/releases/" + id + "/analysis").then().statusCode(502).body("detail", containsString("traffic-switcher"));
        given().get("/releases/00000000-0000-0000-0000-000000000000/analysis").then().statusCode(404);
        given().header("Authorization", "Bearer " + limitedTo("staging", "viewer")).get("/releases/" + id + "/analysis")
                .then().statusCode(403);
    }

    @Test
    void shouldServeThePageWithoutATokenAndNoDataInIt() {
        given().header("Authorization", "").get("/").then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("dashboard.js")).body(not(containsString(service)));
        given().header("Authorization", "").get("/dashboard.js").then().statusCode(200)
                .body(containsString("Last-Event-ID")).body(not(containsString("new EventSource")));
    }

    private static String limitedTo(String environment, String role) {
        return Tokens.forTests().token("limited", List.of(role), List.of(environment), Duration.ofMinutes(5));
    }
}
