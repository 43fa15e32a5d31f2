package dev.switchback.releaseapi.stream.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.EventCodec;
import dev.switchback.events.Topics;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.ReleaseStep;
import dev.switchback.releaseapi.release.rest.ReleaseView;
import dev.switchback.releaseapi.stream.ReleaseStatus;
import dev.switchback.releaseapi.stream.StreamConfig;
import dev.switchback.releaseapi.stream.StreamEvent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a record of the topics into a stream event carrying the release's status after the change. release-api's own
 * events ({@code switchback.releases}) are published after the change committed; a stage's event is projected by
 * release-api's consumer (on this replica or another), so it waits until the inbox recorded the event id, which
 * happens in the projection's transaction, and reads the release after that.
 */
@ApplicationScoped
public class StreamProjection {

    private static final Logger LOG = Logger.getLogger(StreamProjection.class);

    private final DataSource dataSource;
    private final StreamConfig config;

    public StreamProjection(DataSource dataSource, StreamConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** The stream event of a record's value, or empty when it is no CloudEvent. */
    public Optional<StreamEvent> of(String topic, String value) {
        JsonNode root;
        try {
            root = EventCodec.mapper().readTree(value);
        } catch (Exception e) {
            return Optional.empty();
        }
        if (root == null || !root.hasNonNull("id") || !root.hasNonNull("type")) {
            return Optional.empty();
        }
        String id = root.get("id").asText();
        String type = root.get("type").asText();
        JsonNode data = root.path("data");
        JsonNode ref = data.path("release");
        UUID releaseId = uuid(ref.path("id").asText(null));
        boolean projected = Topics.RELEASES.equals(topic) || awaitProjection(id);
        ReleaseStatus status = null;
        ReleaseView.Step step = null;
        if (releaseId != null) {
            try {
                Read read = QuarkusTransaction.requiringNew().call(() -> read(releaseId, type));
                status = read.status();
                step = read.step();
            } catch (RuntimeException e) {
                LOG.warnf("streaming %s without the status of release %s: %s", type, releaseId, e.getMessage());
            }
        }
        return Optional.of(new StreamEvent(id, type, releaseId, text(ref, "service"), text(ref, "environment"),
                root.path("time").asText(null), status, step, projected, data));
    }

    /** The release's status and the newest step of the event's type; both null for a release unknown here. */
    private static Read read(UUID releaseId, String type) {
        Release release = Release.findById(releaseId);
        if (release == null) {
            return new Read(null, null);
        }
        ReleaseStep last = ReleaseStep.<ReleaseStep>find("releaseId = ?1 and eventType = ?2 order by id desc",
                releaseId, type).firstResult();
        return new Read(ReleaseStatus.of(release),
                last == null ? null : new ReleaseView.Step(last.phase, last.eventType, last.reason, last.at));
    }

    private record Read(ReleaseStatus status, ReleaseView.Step step) {
    }

    /** Waits, up to the configured time, until release-api's inbox has taken the event in. */
    private boolean awaitProjection(String eventId) {
        long deadline = System.nanoTime() + config.projectionWait().toNanos();
        do {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement query = connection.prepareStatement("SELECT 1 FROM processed_event WHERE event_id = ?")) {
                query.setString(1, eventId);
                try (ResultSet rs = query.executeQuery()) {
                    if (rs.next()) {
                        return true;
                    }
                }
            } catch (SQLException e) {
                LOG.debugf("looking for the projection of %s: %s", eventId, e.getMessage());
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static UUID uuid(String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
