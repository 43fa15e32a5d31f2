package dev.switchback.bench.overhead;

import dev.switchback.bench.Bench;
import dev.switchback.bench.EventLog;
import dev.switchback.infra.suite.SuiteConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each hop of the path spends its time, read from the services' own tables after the run: the producer's
 * outbox row ({@code published_at} is the relay's transaction start, after it took the publisher lock) and the
 * consumer's {@code processed_event} row ({@code processed_at} is its handling transaction's start). So a hop splits
 * into the rest of the producing transaction plus the relay's wake-up (event time → relay), and the send, the
 * broker, the fetch and the hand-over to a worker (relay → consumer's transaction).
 */
final class HopProfile {

    /** One hop: the event, who records it, who acts on it. */
    record Hop(String type, String producerDb, String consumerDb, String next) {
    }

    /** HOPS: the path of a release with no migrations to its cutover. */
    static final List<Hop> HOPS = List.of(
            new Hop("release.started", "release_api", "db_migrator", "migration.skipped"),
            new Hop("migration.skipped", "db_migrator", "deployer", "deployment.green-deploying"),
            new Hop("deployment.green-ready", "deployer", "traffic_switcher", "traffic.cutover-completed"));

    private HopProfile() {
    }

    /** Per hop, three sample lists (ms): "event → relay", "relay → consumer", "consumer → the next event". */
    static Map<String, List<Double>> measure(SuiteConfig config, EventLog log, List<String> releaseIds) throws SQLException {
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        for (Hop hop : HOPS) {
            List<Double> toRelay = new ArrayList<>();
            List<Double> toConsumer = new ArrayList<>();
            List<Double> handling = new ArrayList<>();
            try (Connection producer = connect(config, hop.producerDb());
                 Connection consumer = connect(config, hop.consumerDb());
                 PreparedStatement published = producer.prepareStatement(
                         "SELECT created_at, published_at FROM outbox WHERE event_id = ?");
                 PreparedStatement processed = consumer.prepareStatement(
                         "SELECT processed_at FROM processed_event WHERE event_id = ?")) {
                for (String releaseId : releaseIds) {
                    String eventId = log.of(releaseId).stream().filter(e -> e.type().equals(hop.type()))
                            .map(EventLog.Seen::id).findFirst().orElse(null);
                    Instant time = log.first(releaseId, hop.type()).map(EventLog.Seen::time).orElse(null);
                    if (eventId == null) {
                        continue;
                    }
                    Instant relayed = at(published, eventId, 2);
                    Instant handled = at(processed, eventId, 1);
                    if (relayed != null && time != null) {
                        toRelay.add(Bench.millis(time, relayed));
                    }
                    if (relayed != null && handled != null) {
                        toConsumer.add(Bench.millis(relayed, handled));
                    }
                    Instant next = log.first(releaseId, hop.next()).map(EventLog.Seen::time).orElse(null);
                    if (handled != null && next != null) {
                        handling.add(Bench.millis(handled, next));
                    }
                }
            }
            samples.put(hop.type() + ": event → relay", toRelay);
            samples.put(hop.type() + ": relay → consumer", toConsumer);
            samples.put(hop.type() + ": consumer → " + hop.next(), handling);
        }
        return samples;
    }

    private static Instant at(PreparedStatement query, String eventId, int column) throws SQLException {
        query.setString(1, eventId);
        try (ResultSet rs = query.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            Timestamp at = rs.getTimestamp(column);
            return at == null ? null : at.toInstant();
        }
    }

    private static Connection connect(SuiteConfig config, String database) throws SQLException {
        return DriverManager.getConnection(config.jdbcUrl(database), "postgres", "");
    }
}
