package dev.switchback.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The releases release-api ended without going live (the watchdog's deadlines, cancellations). Events about them
 * may still arrive from other stages; a stage checks here before it acts, so no side effect follows an ended release.
 */
@ApplicationScoped
public class EndedReleases {

    private final DataSource dataSource;

    public EndedReleases(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String releaseId, String reason) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO ended_release (release_id, reason) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, releaseId);
            insert.setString(2, reason);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record ended release " + releaseId, e);
        }
    }

    public boolean isEnded(String releaseId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT 1 FROM ended_release WHERE release_id = ?")) {
            select.setString(1, releaseId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read ended releases", e);
        }
    }
}
