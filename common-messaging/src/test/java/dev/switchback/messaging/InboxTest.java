package dev.switchback.messaging;

import dev.switchback.events.CloudEvent;
import dev.switchback.events.EventCodec;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.events.Topics;
import dev.switchback.infra.test.KafkaEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The inbox against a real PostgreSQL and broker: each event id handled once, the unreadable dead-lettered with a reason. */
class InboxTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static TestDatabase database;
    private static KafkaEvents kafka;
    private static OutboxRelay relay;
    private static Inbox inbox;
    private static SimpleMeterRegistry registry;

    @BeforeAll
    static void setUp() {
        database = TestDatabase.create("messaging_inbox");
        kafka = new KafkaEvents(TestRelays.bootstrapServers());
        relay = TestRelays.started(TestRelays.relay(database, false));
        registry = new SimpleMeterRegistry();
        inbox = new Inbox(database, TestRelays.outbox(database, relay), registry, TraceContext.off());
    }

    @AfterAll
    static void tearDown() {
        relay.stop(null);
        kafka.close();
    }

    @Test
    void shouldHandAnEventToTheHandlerOnceWhenItIsDeliveredTwice() {
        CloudEvent<SwitchbackEvent> event = CloudEvent.of("/switchback/release-api",
                TestRelays.event("twice-" + UUID.randomUUID().toString().substring(0, 8), "once"), OffsetDateTime.now());
        ConsumerRecord<String, String> record = record(Topics.RELEASES, EventCodec.encode(event));
        List<String> handled = new ArrayList<>();
        double duplicatesBefore = registry.counter("switchback.events.duplicates").count();

        boolean first = receive(record, handled);
        boolean again = receive(record(Topics.RELEASES, EventCodec.encode(event)), handled);

        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(handled).containsExactly(event.id());
        assertThat(registry.counter("switchback.events.duplicates").count()).isEqualTo(duplicatesBefore + 1);
    }

    @Test
    void shouldSendAMalformedRecordToTheDeadLetterTopicWithTheReason() {
        String garbage = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"nonsense\"}";
        List<String> handled = new ArrayList<>();

        boolean ran = receive(record(Topics.DEPLOYMENTS, garbage), handled);

        assertThat(ran).isFalse();
        assertThat(handled).isEmpty();
        KafkaEvents.Seen dead = kafka.await(s -> s.topic().equals(Topics.DEAD_LETTER) && s.value().equals(garbage), TIMEOUT);
        assertThat(dead.headers().get("dead-letter-reason")).isNotBlank();
        assertThat(dead.key()).isEqualTo("some/key");
    }

    @Test
    void shouldRetryThroughTheDatabaseBeingAwayOrARowChangedConcurrentlyButNotABrokenEvent() {
        assertThat(Inbox.isPassing(new IllegalStateException("commit", new jakarta.persistence.OptimisticLockException("row changed"))))
                .isTrue();
        assertThat(Inbox.isPassing(new IllegalStateException("wrapped", new SQLException("gone", "08006")))).isTrue();
        assertThat(Inbox.isPassing(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(Inbox.isPassing(new SQLTransientConnectionException("Acquisition timeout while waiting for new connection"))).isTrue();
        assertThat(Inbox.isPassing(new IllegalStateException("commit failed",
                new jakarta.transaction.RollbackException("ARJUNA016053: Could not commit transaction.")))).isTrue();
        assertThat(Inbox.isPassing(new IllegalStateException("rolled back",
                new jakarta.transaction.RollbackException("ARJUNA016102: The transaction is not active!")))).isFalse();
        assertThat(Inbox.isPassing(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(Inbox.isPassing(new IllegalArgumentException("no such release"))).isFalse();
    }

    /** Receives in a transaction of its own, as a service's consumer does. */
    private static boolean receive(ConsumerRecord<String, String> record, List<String> handled) {
        boolean[] ran = new boolean[1];
        database.inTransaction(() -> ran[0] = inbox.receive(record, event -> handled.add(event.id())));
        return ran[0];
    }

    private static ConsumerRecord<String, String> record(String topic, String value) {
        return new ConsumerRecord<>(topic, 0, 0, "some/key", value);
    }
}
