package dev.switchback.sample;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Reads and writes the notes table over plain JDBC with a fresh connection per call.
 *
 * <p>No pool on purpose: a new connection sees every migration at once (no cached plans of a
 * dropped column) and a database that comes back needs no reconnect logic. The table itself
 * belongs to the migrations; this class never creates or alters it.
 */
final class NoteStore {

    /** TIMEOUT_SECONDS bounds connecting and each query, so /health answers while the database hangs. */
    static final int TIMEOUT_SECONDS = 2;

    // Reads exactly what the app needs, so an added column is harmless and a dropped one fails.
    private static final String PROBE = "SELECT id, body FROM notes LIMIT 1";
    private static final String LIST = "SELECT id, body FROM notes ORDER BY id";
    private static final String INSERT = "INSERT INTO notes (body) VALUES (?) RETURNING id";

    private final String url;
    private final Properties properties = new Properties();

    NoteStore(String url, String user, String password) {
        this.url = url;
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        // PgJDBC settings in seconds; parameters written in DB_URL still take precedence.
        String timeout = Integer.toString(TIMEOUT_SECONDS);
        properties.setProperty("connectTimeout", timeout);
        properties.setProperty("loginTimeout", timeout);
        properties.setProperty("socketTimeout", Integer.toString(5 * TIMEOUT_SECONDS));
        properties.setProperty("ApplicationName", "sample-app");
    }

    /** Runs the health query; returns normally when the app could read its notes. */
    void probe() throws SQLException {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(PROBE)) {
            statement.setQueryTimeout(TIMEOUT_SECONDS);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
            }
        }
    }

    /** Returns every note, oldest first. */
    List<Note> list() throws SQLException {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(LIST)) {
            statement.setQueryTimeout(TIMEOUT_SECONDS);
            List<Note> notes = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    notes.add(new Note(rows.getLong(1), rows.getString(2)));
                }
            }
            return notes;
        }
    }

    /** Stores a note and returns it with the id the database gave it. */
    Note add(String body) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(INSERT)) {
            statement.setQueryTimeout(TIMEOUT_SECONDS);
            statement.setString(1, body);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("INSERT INTO notes returned no id");
                }
                return new Note(rows.getLong(1), body);
            }
        }
    }

    private Connection connect() throws UnavailableException {
        try {
            return DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            throw new UnavailableException(e);
        }
    }

    /** Thrown when no connection could be made, as opposed to a statement the schema refused. */
    static final class UnavailableException extends SQLException {

        private static final long serialVersionUID = 1L;

        UnavailableException(SQLException cause) {
            super("database unavailable: " + cause.getMessage(), cause.getSQLState(), cause);
        }
    }
}
