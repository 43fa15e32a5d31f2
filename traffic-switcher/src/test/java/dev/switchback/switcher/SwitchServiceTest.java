package dev.switchback.switcher;

import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.Callers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;

/** The switcher's cutovers and rollbacks through the embedded router. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "traffic_switcher_test"))
class SwitchServiceTest extends SwitchServiceContract {

    @Override
    String driver() {
        return "embedded";
    }

    @Test
    void shouldShowRoutesOnlyToAToken() {
        given().header("Authorization", "").get("/routes").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + "e30.e30.").get("/routes").then().statusCode(401);
        given().header("Authorization", Callers.bearer("ops", "viewer")).get("/routes").then().statusCode(200);
        given().header("Authorization", "").get("/q/health/ready").then().statusCode(200);
    }
}
