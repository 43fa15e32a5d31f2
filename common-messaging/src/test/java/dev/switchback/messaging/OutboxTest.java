package dev.switchback.messaging;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox wakes its relay when the writing transaction has committed: woken earlier, the relay finds nothing. */
class OutboxTest {

    private static TestDatabase database;

    @BeforeAll
    static void setUp() {
        database = TestDatabase.create("messaging_outbox");
    }

    /** A relay that only counts how often it is woken. */
    private static final class CountingRelay extends OutboxRelay {
        final AtomicInteger wakeUps = new AtomicInteger();

        CountingRelay() {
            super(database, TestRelays.CONFIG, Map.of(), new SimpleMeterRegistry(), TraceContext.off());
        }

        @Override
        public void wakeUp() {
            wakeUps.incrementAndGet();
        }
    }

    @Test
    void shouldWakeTheRelayOnceWhenTheTransactionCommitsNotAtEachInsert() {
        CountingRelay relay = new CountingRelay();
        Outbox outbox = TestRelays.outbox(database, relay);
        TestDatabase.Tx tx = database.begin();
        outbox.publish(TestRelays.event("woken", "1"));
        outbox.publish(TestRelays.event("woken", "2"));
        outbox.deadLetter("woken/test", "garbage", "switchback.releases", "unreadable");

        assertThat(relay.wakeUps).hasValue(0);
        tx.commit();
        assertThat(relay.wakeUps).hasValue(1);
    }

    @Test
    void shouldNotWakeTheRelayForATransactionRolledBack() {
        CountingRelay relay = new CountingRelay();
        Outbox outbox = TestRelays.outbox(database, relay);
        TestDatabase.Tx tx = database.begin();
        outbox.publish(TestRelays.event("rolled-back", "1"));

        tx.rollback();

        assertThat(relay.wakeUps).hasValue(0);
    }
}
