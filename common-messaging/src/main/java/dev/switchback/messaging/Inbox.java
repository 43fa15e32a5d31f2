package dev.switchback.messaging;

import dev.switchback.events.CloudEvent;
import dev.switchback.events.EventCodec;
import dev.switchback.events.MalformedEventException;
import dev.switchback.events.SwitchbackEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * The one way events come into a service: reads the envelope, sends what cannot be read to the dead-letter
 * topic, and hands each event id to the handler once, recording it in the same transaction as the effect.
 */
@ApplicationScoped
public class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class);

    private final DataSource dataSource;
    private final Outbox outbox;
    private final Counter deadLettered;
    private final Counter duplicates;

    public Inbox(DataSource dataSource, Outbox outbox, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.outbox = outbox;
        this.deadLettered = registry.counter("switchback.events.dead-lettered");
        this.duplicates = registry.counter("switchback.events.duplicates");
    }

    /**
     * Handles one Kafka record inside the caller's transaction.
     *
     * @return true when the handler ran, false for a duplicate or a dead-lettered record
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean receive(ConsumerRecord<String, String> record, Consumer<CloudEvent<SwitchbackEvent>> handler) {
        CloudEvent<SwitchbackEvent> event;
        try {
            event = EventCodec.decode(record.value());
        } catch (MalformedEventException e) {
            LOG.warnf("dead-lettering record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            outbox.deadLetter(record.key(), record.value(), record.topic(), e.getMessage());
            deadLettered.increment();
            return false;
        }
        if (!firstDelivery(event, record.topic())) {
            LOG.debugf("skipping duplicate event %s (%s)", event.id(), event.type());
            duplicates.increment();
            return false;
        }
        handler.accept(event);
        return true;
    }

    private boolean firstDelivery(CloudEvent<?> event, String topic) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO processed_event (event_id, event_type, topic) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, event.id());
            insert.setString(2, event.type());
            insert.setString(3, topic);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record processed event " + event.id(), e);
        }
    }
}
