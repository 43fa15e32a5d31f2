package dev.switchback.infra;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresTest {

    private static Postgres postgres;

    @BeforeAll
    static void start() {
        postgres = Postgres.start(null, 0);
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void shouldWaitForEachCommitToReachTheDiskAsAProductionDatabaseDoes() throws SQLException {
        assertThat(setting("synchronous_commit")).isEqualTo("on");
        assertThat(setting("fsync")).isEqualTo("on");
    }

    @Test
    void shouldCreateADatabaseOnceAndHandItsUrl() throws SQLException {
        String url = postgres.createDatabase("postgres_test");

        assertThat(postgres.createDatabase("postgres_test")).isEqualTo(url);
        try (Connection connection = DriverManager.getConnection(url, Postgres.USER, "");
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_database()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("postgres_test");
        }
    }

    private static String setting(String name) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), Postgres.USER, "");
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SHOW " + name)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
