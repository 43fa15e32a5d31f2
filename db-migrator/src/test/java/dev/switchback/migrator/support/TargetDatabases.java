package dev.switchback.migrator.support;

import dev.switchback.events.DatabaseSpec;
import dev.switchback.events.HealthSpec;
import dev.switchback.events.Migration;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.RouterSpec;
import dev.switchback.events.RuntimeSpec;
import dev.switchback.events.UnsafeOverride;
import io.restassured.http.ContentType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** What the db-migrator's tests do to their target databases: make one, stamp it, query it, and release specs for it. */
public final class TargetDatabases {

    private TargetDatabases() {
    }

    /** A new database next to the migrator's own; answers its JDBC URL. */
    public static String create(String ownDatabaseUrl, String name) throws SQLException {
        execute(ownDatabaseUrl, "CREATE DATABASE " + name);
        return ownDatabaseUrl.substring(0, ownDatabaseUrl.lastIndexOf('/') + 1) + name;
    }

    /** Stamps the database for the service and environment through the migrator's API (the caller holds admin). */
    public static void stamp(String service, String environment, String url) {
        given().contentType(ContentType.JSON).body("{\"service\":\"" + service + "\",\"environment\":\"" + environment
                        + "\",\"url\":\"" + url + "\",\"username\":\"postgres\"}")
                .post("/databases/stamp").then().statusCode(200);
    }

    /** A release spec with these migrations against the database, overriding the lint rules given. */
    public static ReleaseSpec spec(DatabaseSpec database, List<Migration> migrations, List<UnsafeOverride> overrides) {
        return new ReleaseSpec("app.jar", new RuntimeSpec("process", List.of("java", "-jar", "{artifact}"), Map.of()),
                new RouterSpec("embedded", 9999), new HealthSpec("/health", 10), database, migrations, "expand", false,
                null, "expand", false, overrides.isEmpty() ? null : overrides, null);
    }

    /** The database as the migrator connects to it. */
    public static DatabaseSpec database(String url) {
        return new DatabaseSpec(url, "postgres", null);
    }

    public static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, "postgres", "");
    }

    public static void execute(String url, String sql) throws SQLException {
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    public static long count(String url, String sql) throws SQLException {
        try (Connection c = connect(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
