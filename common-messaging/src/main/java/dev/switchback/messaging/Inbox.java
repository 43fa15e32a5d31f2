package dev.switchback.messaging;

import dev.switchback.events.CloudEvent;
import dev.switchback.events.EventCodec;
import dev.switchback.events.MalformedEventException;
import dev.switchback.events.SwitchbackEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import javax.sql.DataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;

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
    private final Counter skipped;
    private final TraceContext trace;

    public Inbox(DataSource dataSource, Outbox outbox, MeterRegistry registry, TraceContext trace) {
        this.trace = trace;
        this.dataSource = dataSource;
        this.outbox = outbox;
        this.deadLettered = registry.counter("switchback.events.dead-lettered");
        this.duplicates = registry.counter("switchback.events.duplicates");
        this.skipped = registry.counter("switchback.events.skipped");
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
            deadLetter(record, e);
            return false;
        }
        return handleOnce(record, event, handler);
    }

    /** Records a record that cannot be read for the dead-letter topic, with why, in the current transaction. */
    private void deadLetter(ConsumerRecord<String, String> record, MalformedEventException e) {
        LOG.warnf("dead-lettering record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
        outbox.deadLetter(record.key(), record.value(), record.topic(), e.getMessage());
        deadLettered.increment();
    }

    /** Hands a decoded event to the handler unless its id was processed before, in the current transaction. */
    private boolean handleOnce(ConsumerRecord<String, String> record, CloudEvent<SwitchbackEvent> event,
                               Consumer<CloudEvent<SwitchbackEvent>> handler) {
        if (!firstDelivery(event, record.topic())) {
            LOG.debugf("skipping duplicate event %s (%s)", event.id(), event.type());
            duplicates.increment();
            return false;
        }
        handler.accept(event);
        return true;
    }

    /**
     * Handles one record in a transaction of its own, and tries again while the failure is passing (the database
     * restarting, a connection lost, a deadlock, a row another transaction changed since it was read) rather than the
     * event: a passing failure must not send a good event to the dead-letter topic; a fresh transaction reads again. The partition waits meanwhile, so order holds. Gives up after {@link #RETRY_FOR}, below
     * Kafka's poll interval, and lets the connector's failure strategy have the record.
     */
    public void receiveDurably(ConsumerRecord<String, String> record, Consumer<CloudEvent<SwitchbackEvent>> handler) {
        // The handling continues the trace the record's producer sent along, so the events it causes carry it on.
        trace.consuming(record, () -> retrying(record, () -> receive(record, handler)));
    }

    /**
     * As {@link #receiveDurably(ConsumerRecord, Consumer)} for a consumer that acts on some event types only: an event
     * none of the handlers takes is passed over before any transaction (it has no effect to make once, so nothing to
     * record); one that cannot be read still goes to the dead-letter topic.
     */
    public void receiveDurably(ConsumerRecord<String, String> record, EventHandlers handlers) {
        receiveDurably(record, handlers::handles, event -> handlers.handle(event.data()));
    }

    /**
     * As {@link #receiveDurably(ConsumerRecord, EventHandlers)} for a handler that needs the whole CloudEvent (its id,
     * time, type): {@code takes} says which events it acts on, the others are passed over before any transaction.
     */
    public void receiveDurably(ConsumerRecord<String, String> record, Predicate<SwitchbackEvent> takes,
                               Consumer<CloudEvent<SwitchbackEvent>> handler) {
        CloudEvent<SwitchbackEvent> event;
        try {
            event = EventCodec.decode(record.value());
        } catch (MalformedEventException e) {
            trace.consuming(record, () -> retrying(record, () -> deadLetter(record, e)));
            return;
        }
        if (!takes.test(event.data())) {
            skipped.increment();
            return;
        }
        // Decoded once: the transaction hands on this event rather than reading the record again.
        trace.consuming(record, () -> retrying(record, () -> handleOnce(record, event, handler)));
    }

    /** Runs the work in a transaction of its own, again while its failure is passing (see {@link #receiveDurably}). */
    private void retrying(ConsumerRecord<String, String> record, Runnable work) {
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        long delayMillis = 100;
        while (true) {
            try {
                QuarkusTransaction.requiringNew().run(work);
                return;
            } catch (RuntimeException e) {
                if (!isPassing(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.warnf("record %s-%d@%d waits for the database (%s); retrying in %d ms", record.topic(),
                        record.partition(), record.offset(), rootMessage(e), delayMillis);
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                delayMillis = Math.min(delayMillis * 2, 3_000);
            }
        }
    }

    /** RETRY_FOR: how long a record is retried through an outage; under Kafka's default poll interval of 5 minutes. */
    static final Duration RETRY_FOR = Duration.ofMinutes(4);

    /**
     * Whether a failure is passing rather than the event's own: the database away or busy (also when it fails the
     * commit), or an optimistic version check that found the row changed by a concurrent writer (JPA's and
     * Hibernate's exceptions, matched by name: this module does not depend on them).
     */
    static boolean isPassing(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state == null ? String.valueOf(sql.getMessage()).contains("Acquisition timeout")
                        : state.startsWith("08") || state.startsWith("57P") || state.equals("40001")
                        || state.equals("40P01") || state.equals("55P03")) {
                    return true;
                }
            }
            String type = cause.getClass().getName();
            // Narayana's "could not commit": the database failed the commit itself (its connection lost mid-commit,
            // as when PostgreSQL restarts). The processed-event row commits with the effects, so a retry whose first
            // commit did land finds the event done.
            if (type.equals("jakarta.transaction.RollbackException") && String.valueOf(cause.getMessage()).contains("ARJUNA016053")) {
                return true;
            }
            if (type.endsWith("JDBCConnectionException") || type.equals("jakarta.persistence.OptimisticLockException")
                    || type.equals("org.hibernate.StaleObjectStateException") || type.equals("org.hibernate.StaleStateException")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
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
