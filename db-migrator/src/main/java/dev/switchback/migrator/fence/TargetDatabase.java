package dev.switchback.migrator.fence;

import dev.switchback.events.DatabaseSpec;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;

/** Connections to a service's target database, and what it says about itself. */
public final class TargetDatabase {

    /** What a target database says it is. */
    public record Identity(String systemIdentifier, String databaseName) {
    }

    /** The stamp a target database carries. */
    public record Stamp(String service, String environment) {
    }

    private TargetDatabase() {
    }

    public static Connection connect(DatabaseSpec database) throws SQLException {
        return connect(database.url(), database.username(), password(database));
    }

    /** The password of a target database, from the db-migrator's environment; null when it names none. */
    public static String password(DatabaseSpec database) {
        return database == null || database.passwordEnv() == null ? null : System.getenv(database.passwordEnv());
    }

    public static Connection connect(String url, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "5");
        props.setProperty("ApplicationName", "switchback-db-migrator");
        return DriverManager.getConnection(url, props);
    }

    public static Identity identity(Connection connection) throws SQLException {
        String name;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            name = rs.getString(1);
        }
        String system = null;
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT system_identifier::text FROM pg_control_system()")) {
            if (rs.next()) {
                system = rs.getString(1);
            }
        } catch (SQLException e) {
            // Only superusers and pg_monitor may read it; the database name and the stamp still fence.
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        }
        return new Identity(system, name);
    }

    public static Optional<Stamp> stamp(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('switchback.stamp') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return Optional.empty();
            }
        }
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT service, environment FROM switchback.stamp LIMIT 1")) {
            return rs.next() ? Optional.of(new Stamp(rs.getString(1), rs.getString(2))) : Optional.empty();
        }
    }
}
