package dev.switchback.messaging;

import dev.switchback.events.CloudEvent;
import dev.switchback.events.ReleaseCancelled;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.infra.test.KafkaEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The relay against a real PostgreSQL and Kafka broker: no event lost, none sent twice, each key's in order. */
class OutboxRelayTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static TestDatabase database;
    private static KafkaEvents kafka;
    private final List<OutboxRelay> relays = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        database = TestDatabase.create("messaging_relay");
        kafka = new KafkaEvents(TestRelays.bootstrapServers());
    }

    @AfterAll
    static void tearDown() {
        kafka.close();
    }

    @AfterEach
    void stopRelays() {
        relays.forEach(relay -> relay.stop(null));
        TestRelays.SendHook.onSend = null;
    }

    @Test
    void shouldSendARowWhoseLowerIdCommitsAfterTheRelayReadAHigherOne() throws Exception {
        String service = "lost-" + UUID.randomUUID().toString().substring(0, 8);
        OutboxRelay relay = TestRelays.relay(database, true);
        relays.add(relay);
        Outbox outbox = TestRelays.outbox(database, relay);
        ExecutorService slowWriter = Executors.newSingleThreadExecutor();
        try {
            CloudEvent<SwitchbackEvent> before = outbox.publish(TestRelays.event(service, "before"));
            // A transaction takes the next id and stays open while a later one commits a higher id.
            Future<TestDatabase.Tx> slow = slowWriter.submit(() -> {
                TestDatabase.Tx tx = database.begin();
                outbox.publish(TestRelays.event(service, "slow"));
                return tx;
            });
            TestDatabase.Tx slowTx = slow.get(10, TimeUnit.SECONDS);
            CloudEvent<SwitchbackEvent> after = outbox.publish(TestRelays.event(service, "after"));
            assertThat(idOf(before.id())).isLessThan(idOf(after.id()) - 1);
            // It commits while the relay is sending the batch it read: after the read, before the mark.
            TestRelays.SendHook.onSend = record -> {
                if (record.value().contains(after.id())) {
                    TestRelays.SendHook.onSend = null;
                    slowTx.commit();
                }
            };

            TestRelays.started(relay);

            for (String text : List.of("before", "slow", "after")) {
                kafka.await(s -> s.isEvent() && s.key().equals(service + "/test")
                        && text.equals(((ReleaseCancelled) s.event().data()).reason()), TIMEOUT);
            }
            await().atMost(TIMEOUT).until(() -> unpublished() == 0);
        } finally {
            slowWriter.shutdownNow();
        }
    }

    @Test
    void shouldPublishEveryEventOnceAndInOrderPerKeyWithTwoRelaysOnOneOutbox() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int writers = 4;
        int eventsPerWriter = 200;
        int keysPerWriter = 5;
        // Two replicas of one service: each has its relay and its outbox, on one database.
        OutboxRelay first = TestRelays.started(TestRelays.relay(database, false));
        OutboxRelay second = TestRelays.started(TestRelays.relay(database, false));
        relays.addAll(List.of(first, second));
        List<Outbox> outboxes = List.of(TestRelays.outbox(database, first), TestRelays.outbox(database, second));

        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                writes.add(pool.submit(() -> {
                    Outbox outbox = outboxes.get(writer % 2);
                    int[] next = new int[keysPerWriter];
                    // Two events of one key per transaction, the keys in turn: each key's events are written in order.
                    for (int i = 0; i < eventsPerWriter / 2; i++) {
                        int key = i % keysPerWriter;
                        String service = "order-" + run + "-" + (writer * keysPerWriter + key);
                        database.inTransaction(() -> {
                            outbox.publish(TestRelays.event(service, String.valueOf(next[key]++)));
                            outbox.publish(TestRelays.event(service, String.valueOf(next[key]++)));
                        });
                    }
                }));
            }
            for (Future<?> write : writes) {
                write.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        int total = writers * eventsPerWriter;
        await().atMost(TIMEOUT).until(() -> seenOf(run).values().stream().mapToInt(List::size).sum() >= total);
        await().atMost(TIMEOUT).until(() -> unpublished() == 0);
        // Whatever a second relay would send twice has had time to arrive.
        Thread.sleep(1_000);

        Map<String, List<Integer>> seen = seenOf(run);
        assertThat(seen).hasSize(writers * keysPerWriter);
        List<Integer> inOrder = IntStream.range(0, eventsPerWriter / keysPerWriter).boxed().toList();
        seen.forEach((key, sequence) -> assertThat(sequence).as("events of %s in topic order", key).isEqualTo(inOrder));
    }

    @Test
    void shouldPublishAnEventSoonAfterItsTransactionCommitsNotAtTheNextPoll() throws Exception {
        // A long poll interval: only the wake-up at commit can publish within it.
        Duration pollInterval = Duration.ofSeconds(3);
        OutboxRelay relay = TestRelays.started(TestRelays.relay(database, false, TestRelays.config(pollInterval)));
        relays.add(relay);
        Outbox outbox = TestRelays.outbox(database, relay);
        await().atMost(TIMEOUT).until(() -> unpublished() == 0);
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            TestDatabase.Tx tx = database.begin();
            CloudEvent<SwitchbackEvent> event = outbox.publish(TestRelays.event("prompt", String.valueOf(i)));
            // The rest of the handler's work, during which a relay woken at the insert would find nothing yet.
            Thread.sleep(20);
            long committed = System.nanoTime();
            tx.commit();
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(2)).until(() -> isPublished(event.id()));
            millis.add((System.nanoTime() - committed) / 1_000_000);
        }
        millis.sort(null);
        assertThat(millis.get(millis.size() / 2)).as("median ms from commit to published, of %s", millis)
                .isLessThan(pollInterval.toMillis() / 4);
    }

    @Test
    void shouldSendTheEventsOfOneTransactionInOneRequestInOrder() throws Exception {
        String service = "together-" + UUID.randomUUID().toString().substring(0, 8);
        OutboxRelay relay = TestRelays.started(TestRelays.relay(database, false));
        relays.add(relay);
        Outbox outbox = TestRelays.outbox(database, relay);
        // A first event alone, so the producer knows the topic before the requests are counted.
        CloudEvent<SwitchbackEvent> first = outbox.publish(TestRelays.event(service, "first"));
        await().atMost(TIMEOUT).until(() -> isPublished(first.id()) && unpublished() == 0);
        double before = TestRelays.Requests.sent();

        TestDatabase.Tx tx = database.begin();
        List<CloudEvent<SwitchbackEvent>> together = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            together.add(outbox.publish(TestRelays.event(service, String.valueOf(i))));
        }
        tx.commit();
        await().atMost(TIMEOUT).until(() -> unpublished() == 0);

        assertThat(TestRelays.Requests.sent() - before).as("requests for five events committed together").isEqualTo(1.0);
        for (CloudEvent<SwitchbackEvent> event : together) {
            assertThat(isPublished(event.id())).isTrue();
        }
        kafka.await(s -> s.isEvent() && s.key().equals(service + "/test")
                && "4".equals(((ReleaseCancelled) s.event().data()).reason()), TIMEOUT);
        assertThat(kafka.all().stream().filter(s -> s.isEvent() && s.key() != null && s.key().equals(service + "/test"))
                .map(s -> ((ReleaseCancelled) s.event().data()).reason()).toList())
                .containsExactly("first", "0", "1", "2", "3", "4");
    }

    /** For each key of the run, the sequence numbers of its events in the order the topic holds them. */
    private static Map<String, List<Integer>> seenOf(String run) {
        Map<String, List<Integer>> seen = new LinkedHashMap<>();
        for (KafkaEvents.Seen record : kafka.all()) {
            if (record.key() != null && record.key().startsWith("order-" + run + "-")) {
                seen.computeIfAbsent(record.key(), k -> new ArrayList<>())
                        .add(Integer.valueOf(((ReleaseCancelled) record.event().data()).reason()));
            }
        }
        return seen;
    }

    private static long idOf(String eventId) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT id FROM outbox WHERE event_id = ?")) {
            select.setString(1, eventId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static boolean isPublished(String eventId) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT published_at IS NOT NULL FROM outbox WHERE event_id = ?")) {
            select.setString(1, eventId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static long unpublished() throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM outbox WHERE published_at IS NULL");
             ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
