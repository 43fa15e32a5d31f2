package dev.switchback.infra.test;

import dev.switchback.events.CloudEvent;
import dev.switchback.events.EventCodec;
import dev.switchback.events.EventType;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * What a test sees on the real broker: every record of every Switchback topic, read from the beginning by a
 * consumer of its own, and a producer to publish events (or garbage) as another service would.
 */
public final class KafkaEvents implements AutoCloseable {

    /** One record as seen on a topic. */
    public record Seen(String topic, String key, String value, Map<String, String> headers) {

        public CloudEvent<SwitchbackEvent> event() {
            return EventCodec.decode(value);
        }

        public boolean isEvent() {
            try {
                EventCodec.decode(value);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }
    }

    private final String bootstrapServers;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private final KafkaProducer<String, String> producer;
    private volatile boolean running = true;

    public KafkaEvents(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /** Watches a broker that needs more than its address to let a client in (SASL settings). */
    public KafkaEvents(String bootstrapServers, Map<String, Object> clientConfig) {
        this.bootstrapServers = bootstrapServers;
        Map<String, Object> producerConfig = new java.util.HashMap<>(clientConfig);
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
        Map<String, Object> consumerConfig = new java.util.HashMap<>(clientConfig);
        consumerConfig.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-watcher-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000"));
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(Topics.ALL);
        poller = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        Map<String, String> headers = new java.util.HashMap<>();
                        record.headers().forEach(h -> headers.put(h.key(), new String(h.value())));
                        seen.add(new Seen(record.topic(), record.key(), record.value(), headers));
                    }
                }
            }
        }, "kafka-events-watcher");
        poller.setDaemon(true);
        poller.start();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Everything seen so far. */
    public List<Seen> all() {
        return List.copyOf(seen);
    }

    /** The events seen so far about one release, in the order each topic delivered them. */
    public List<CloudEvent<SwitchbackEvent>> ofRelease(String releaseId) {
        List<CloudEvent<SwitchbackEvent>> events = new ArrayList<>();
        for (Seen record : seen) {
            if (record.isEvent() && releaseId.equals(record.event().data().release().id())) {
                events.add(record.event());
            }
        }
        return events;
    }

    /** The types of the events seen about one release on one topic, in order. */
    public List<String> typesOf(String releaseId, String topic) {
        return seen.stream().filter(s -> s.topic().equals(topic) && s.isEvent())
                .map(Seen::event)
                .filter(e -> releaseId.equals(e.data().release().id()))
                .map(CloudEvent::type)
                .toList();
    }

    /** Waits for a record matching the predicate. */
    public Seen await(Predicate<Seen> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Seen record : seen) {
                if (match.test(record)) {
                    return record;
                }
            }
            sleep();
        }
        List<String> last = seen.stream().skip(Math.max(0, seen.size() - 10))
                .map(s -> s.topic() + " " + s.value().substring(0, Math.min(300, s.value().length()))).toList();
        throw new AssertionError("no matching record within " + timeout + "; the last seen: " + String.join("\n", last));
    }

    /** Waits for an event of the type about the release, and returns its payload. */
    @SuppressWarnings("unchecked")
    public <T extends SwitchbackEvent> T await(Class<T> type, String releaseId, Duration timeout) {
        return (T) await(s -> s.isEvent() && type.isInstance(s.event().data())
                && releaseId.equals(s.event().data().release().id()), timeout).event().data();
    }

    /** Waits for an event of the type about the release that also matches the predicate, and returns its payload. */
    @SuppressWarnings("unchecked")
    public <T extends SwitchbackEvent> T await(Class<T> type, String releaseId, Predicate<T> match, Duration timeout) {
        return (T) await(s -> s.isEvent() && type.isInstance(s.event().data())
                && releaseId.equals(s.event().data().release().id()) && match.test((T) s.event().data()), timeout)
                .event().data();
    }

    /** Publishes an event as the named source would, on its contract topic; returns the envelope. */
    public CloudEvent<SwitchbackEvent> publish(String source, SwitchbackEvent data) {
        CloudEvent<SwitchbackEvent> event = CloudEvent.of(source, data, OffsetDateTime.now());
        publishRaw(EventType.of(data).topic(), data.release().key(), EventCodec.encode(event));
        return event;
    }

    /** Publishes an envelope again, as a redelivery would. */
    public void republish(CloudEvent<SwitchbackEvent> event) {
        publishRaw(EventType.of(event.data()).topic(), event.data().release().key(), EventCodec.encode(event));
    }

    /** Publishes any value, such as garbage a broken producer might send. */
    public void publishRaw(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        producer.close();
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
