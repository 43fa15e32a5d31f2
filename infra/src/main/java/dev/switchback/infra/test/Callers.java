package dev.switchback.infra.test;

import dev.switchback.infra.auth.Tokens;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.config.HeaderConfig;

/**
 * Who the REST-assured requests of a test are made by: a bearer token from the tests' issuer, sent with every
 * request unless the request names another {@code Authorization} (it then replaces this one).
 */
public final class Callers {

    private Callers() {
    }

    /** Every following request carries a token for this subject with these roles. */
    public static void actAs(String subject, String... roles) {
        RestAssured.config = RestAssured.config().headerConfig(HeaderConfig.headerConfig()
                .overwriteHeadersWithName("Authorization", "Content-Type", "Accept"));
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader("Authorization", bearer(subject, roles)).build();
    }

    /** Following requests carry no token. */
    public static void anonymous() {
        RestAssured.requestSpecification = null;
    }

    /** The {@code Authorization} value for a subject with roles, for one request. */
    public static String bearer(String subject, String... roles) {
        return "Bearer " + Tokens.forTests().token(subject, roles);
    }
}
