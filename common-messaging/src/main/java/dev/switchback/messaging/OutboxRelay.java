package dev.switchback.messaging;

import dev.switchback.events.CloudEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Publishes recorded outbox events to Kafka and marks exactly the rows it sent as published.
 * <p>
 * Why exactly those rows: an id is taken when a row is inserted, but the row becomes visible when its transaction
 * commits, so a row with a lower id can appear after the relay has read a higher one. Marking a range of ids would
 * mark such a row without sending it; marking the ids sent leaves it for the next batch, which sends it then.
 * <p>
 * Why one publisher at a time: several replicas of a service share one outbox. Each batch (read, send, wait for
 * the broker's acknowledgement, mark, commit) runs in one transaction that first takes a transaction-scoped advisory
 * lock ({@link #PUBLISHER_LOCK}), so batches of different relays never overlap: no row is sent by two relays, and a
 * key's rows reach the topic in the order they were read (id order among committed rows, which is commit order for
 * changes made one after the other). {@code FOR UPDATE SKIP LOCKED} alone would not do: another relay would skip the
 * key's earlier row its neighbour holds and send a later one first. The lock needs no expiry and no renewal: it ends
 * with the transaction, or with the connection of a relay that died, and a relay that lost its connection can no
 * longer mark anything, so its batch is sent again by the next holder (a duplicate, never a loss).
 * <p>
 * A relay that finds the lock taken waits for it (up to {@link #LOCK_WAIT}) and runs right after the holder's batch,
 * so an event written on one replica is not kept waiting for a poll interval while another replica publishes.
 * Delivery is at-least-once (a crash after the send but before the commit sends the batch again); consumers
 * de-duplicate on the CloudEvents id, so the effects are exactly-once.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** PUBLISHER_LOCK: the advisory lock key a relay holds for one batch; one per database, so per service. */
    static final long PUBLISHER_LOCK = 0x5357_4f55_5442_4f58L;

    /** LOCK_WAIT: how long a relay waits for another to finish its batch before it looks again. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(2);

    /** BATCH_LINGER_MS: longer than handing a batch to the producer takes; the flush after it ends the wait. */
    static final int BATCH_LINGER_MS = 100;

    /** LOCK_NOT_AVAILABLE: PostgreSQL's SQLSTATE for a lock wait that ran out. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final DataSource dataSource;
    private final MessagingConfig config;
    private final Map<String, Object> kafkaConfig;
    private final Counter published;
    private final TraceContext trace;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;
    private KafkaProducer<String, String> producer;

    public OutboxRelay(DataSource dataSource, MessagingConfig config,
                       @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                       MeterRegistry registry, TraceContext trace) {
        this.dataSource = dataSource;
        this.trace = trace;
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.published = registry.counter("switchback.outbox.published");
    }

    void start(@Observes StartupEvent startup) {
        if (!config.relayEnabled()) {
            return;
        }
        Properties props = new Properties();
        // Every producer setting among the service's kafka.* ones (bootstrap servers, TLS, SASL), as its consumers get them.
        kafkaConfig.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key)) {
                props.put(key, value);
            }
        });
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // One request in flight: across a broker restart, a key's earlier record could otherwise fail for good while a
        // later one in flight behind it is accepted; the batch is then sent again and the topic has them out of order.
        // With one in flight, the later record waits in the accumulator and expires with the earlier one.
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        // A batch's records go in one request, not one round trip each: with one request in flight and no linger the
        // sender takes the first record alone and the rest wait for its acknowledgement (a release's requested and
        // started, blue-checked and green-deploying are written together). The linger holds the sender until the
        // batch is handed over; send() ends with flush(), which sends it at once, so nothing waits the linger out.
        props.put(ProducerConfig.LINGER_MS_CONFIG, BATCH_LINGER_MS);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        if (thread != null) {
            wakeUp.release();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Asks the relay to look now rather than at its next poll. */
    public void wakeUp() {
        wakeUp.release();
    }

    private void loop() {
        while (running) {
            try {
                int count = relayBatch();
                if (count < config.batchSize()) {
                    wakeUp.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warnf("outbox relay could not publish, retrying in %s: %s", config.retryBackoff(), e.getMessage());
                sleep(config.retryBackoff().toMillis());
            }
        }
    }

    /** Publishes one batch; returns how many events it published. */
    int relayBatch() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!takePublisherLock(connection)) {
                    connection.rollback();
                    return 0;
                }
                List<Row> rows = unpublished(connection);
                if (!rows.isEmpty()) {
                    send(rows);
                    markPublished(connection, rows);
                }
                connection.commit();
                published.increment(rows.size());
                return rows.size();
            } catch (Exception e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** One unpublished outbox row. */
    private record Row(long id, String topic, String key, String payload, String reason, String traceparent) {
    }

    /** Waits for the right to publish; false when another relay kept it for longer than {@link #LOCK_WAIT}. */
    private static boolean takePublisherLock(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '" + LOCK_WAIT.toMillis() + "ms'");
            statement.execute("SELECT pg_advisory_xact_lock(" + PUBLISHER_LOCK + ")");
            return true;
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private List<Row> unpublished(Connection connection) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, topic, event_key, payload, reason, traceparent FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT ?")) {
            select.setInt(1, config.batchSize());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6)));
                }
            }
        }
        return rows;
    }

    /**
     * Sends the rows in order, in as few requests as the producer's batches allow, and waits until the broker has
     * every one: only then may they be marked.
     */
    private void send(List<Row> rows) throws Exception {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        try {
            for (Row row : rows) {
                ProducerRecord<String, String> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
                record.headers().add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
                if (row.reason() != null) {
                    record.headers().add("dead-letter-reason", row.reason().getBytes(StandardCharsets.UTF_8));
                }
                Span span = trace.publishing(row.traceparent(), row.topic());
                String traceparent = TraceContext.headerFor(span, row.traceparent());
                if (span != null) {
                    spans.add(span);
                }
                if (traceparent != null) {
                    record.headers().add(TraceContext.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
                }
                sends.add(producer.send(record));
            }
            producer.flush();
            for (Future<RecordMetadata> send : sends) {
                send.get(60, TimeUnit.SECONDS);
            }
        } finally {
            spans.forEach(Span::end);
        }
    }

    private static void markPublished(Connection connection, List<Row> rows) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE outbox SET published_at = now() WHERE id = ANY (?)")) {
            update.setArray(1, connection.createArrayOf("bigint", rows.stream().map(Row::id).toArray(Long[]::new)));
            update.executeUpdate();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
