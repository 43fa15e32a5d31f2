package dev.switchback.messaging;

import dev.switchback.events.CloudEvent;
import dev.switchback.events.EventCodec;
import dev.switchback.events.EventType;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Records the events a state change causes in the same transaction as the change, so a crash between commit
 * and publish loses nothing: the {@link OutboxRelay} publishes what is recorded. The relay is woken when the
 * transaction commits, not at the insert: woken earlier, it would find nothing yet and wait for its next poll.
 */
@ApplicationScoped
public class Outbox {

    /** WAKE_UP: the transaction resource that says the relay will be woken at this transaction's commit. */
    private static final Object WAKE_UP = Outbox.class.getName() + ".wake-up";

    private final DataSource dataSource;
    private final OutboxRelay relay;
    private final String source;
    private final Clock clock;
    private final TransactionSynchronizationRegistry transactions;
    private final TraceContext trace;

    public Outbox(DataSource dataSource, OutboxRelay relay,
                  @ConfigProperty(name = "quarkus.application.name") String applicationName, Clock clock,
                  TransactionSynchronizationRegistry transactions, TraceContext trace) {
        this.dataSource = dataSource;
        this.relay = relay;
        this.source = "/switchback/" + applicationName;
        this.clock = clock;
        this.transactions = transactions;
        this.trace = trace;
    }

    /** Records an event for publication; it is published only if the surrounding transaction commits. */
    @Transactional(Transactional.TxType.MANDATORY)
    public CloudEvent<SwitchbackEvent> publish(SwitchbackEvent data) {
        CloudEvent<SwitchbackEvent> event = CloudEvent.of(source, data, OffsetDateTime.now(clock));
        insert(event.id(), EventType.of(data).topic(), data.release().key(), event.type(), EventCodec.encode(event), null,
                trace.current());
        wakeRelayAfterCommit();
        return event;
    }

    /**
     * Records a message that could not be read for the dead-letter topic, with the reason, in the transaction
     * that marks it processed: it is neither lost nor read again.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void deadLetter(String key, String value, String fromTopic, String reason) {
        insert(UUID.randomUUID().toString(), Topics.DEAD_LETTER, key == null ? "" : key,
                "dead-letter from " + fromTopic, value == null ? "" : value, reason, trace.current());
        wakeRelayAfterCommit();
    }

    /** Wakes the relay once the surrounding transaction has committed (once per transaction), or now without one. */
    private void wakeRelayAfterCommit() {
        if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
            if (transactions.getResource(WAKE_UP) != null) {
                return;
            }
            transactions.putResource(WAKE_UP, Boolean.TRUE);
        }
        AfterCommit.run(transactions, relay::wakeUp);
    }

    private void insert(String eventId, String topic, String key, String type, String payload, String reason,
                        String traceparent) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO outbox (event_id, topic, event_key, event_type, payload, reason, traceparent) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, eventId);
            insert.setString(2, topic);
            insert.setString(3, key);
            insert.setString(4, type);
            insert.setString(5, payload);
            insert.setString(6, reason);
            insert.setString(7, traceparent);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write to the outbox", e);
        }
    }
}
