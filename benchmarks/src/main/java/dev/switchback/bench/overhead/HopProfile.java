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
 * broker, the fetch and the hand-over to a worker (relay → consumer's transaction). The Kafka record's own timestamp
 * (the relay's {@code send}, ms) splits the second part at the producer, and the benchmark's plain consumer reading
 * the same record is the yardstick for the rest: sent → consumer's transaction against sent → plain consumer.
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

    /**
     * Per hop, the sample lists (ms): "event → relay", "relay → consumer" and its parts "relay → sent", "sent →
     * consumer" beside "sent → plain consumer", and "consumer → the next event".
     */
    static Map<String, List<Double>> measure(SuiteConfig config, EventLog log, List<String> releaseIds) throws SQLException {
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        for (Hop hop : HOPS) {
            List<Double> toRelay = new ArrayList<>();
            List<Double> toConsumer = new ArrayList<>();
            List<Double> toSend = new ArrayList<>();
            List<Double> sentToConsumer = new ArrayList<>();
            List<Double> sentToPlain = new ArrayList<>();
            List<Double> handling = new ArrayList<>();
            try (Connection producer = connect(config, hop.producerDb());
                 Connection consumer = connect(config, hop.consumerDb());
                 PreparedStatement published = producer.prepareStatement(
                         "SELECT created_at, published_at FROM outbox WHERE event_id = ?");
                 PreparedStatement processed = consumer.prepareStatement(
                         "SELECT processed_at FROM processed_event WHERE event_id = ?")) {
                for (String releaseId : releaseIds) {
                    EventLog.Seen seen = log.first(releaseId, hop.type()).orElse(null);
                    if (seen == null) {
                        continue;
                    }
                    String eventId = seen.id();
                    Instant time = seen.time();
                    Instant relayed = at(published, eventId, 2);
                    Instant handled = at(processed, eventId, 1);
                    if (relayed != null && time != null) {
                        toRelay.add(Bench.millis(time, relayed));
                    }
                    if (relayed != null && handled != null) {
                        toConsumer.add(Bench.millis(relayed, handled));
                    }
                    if (relayed != null) {
                        toSend.add(Bench.millis(relayed, seen.sentAt()));
                    }
                    if (handled != null) {
                        sentToConsumer.add(Bench.millis(seen.sentAt(), handled));
                    }
                    sentToPlain.add(Bench.millis(seen.sentAt(), seen.seenAt()));
                    Instant next = log.first(releaseId, hop.next()).map(EventLog.Seen::time).orElse(null);
                    if (handled != null && next != null) {
                        handling.add(Bench.millis(handled, next));
                    }
                }
            }
            samples.put(hop.type() + ": event → relay", toRelay);
            samples.put(hop.type() + ": relay → consumer", toConsumer);
            samples.put(hop.type() + ": relay → sent", toSend);
            samples.put(hop.type() + ": sent → consumer", sentToConsumer);
            samples.put(hop.type() + ": sent → plain consumer", sentToPlain);
            samples.put(hop.type() + ": consumer → " + hop.next(), handling);
        }
        return samples;
    }

    /** What a figure of {@link #measure} covers, for its table row. */
    static String how(String figure) {
        String part = figure.substring(figure.indexOf(": ") + 2);
        return switch (part) {
            case "event → relay" -> "rest of the transaction + relay wake-up";
            case "relay → consumer" -> "send, broker, fetch, hand-over to the handler";
            case "relay → sent" -> "relay's transaction start → its send (the record's timestamp, ms)";
            case "sent → consumer" -> "broker, fetch, connector, lane → the handler's transaction";
            case "sent → plain consumer" -> "broker, fetch → the benchmark's own KafkaConsumer";
            default -> "the handler's transaction start → its event";
        };
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
