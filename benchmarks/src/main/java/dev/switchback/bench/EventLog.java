package dev.switchback.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.EventCodec;
import dev.switchback.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Every event on the Switchback topics, read from the beginning by a consumer of its own and indexed by release:
 * the benchmarks take their timings from the events' own {@code time} (stamped by the service that recorded the
 * fact), and check that no event of a release is missing.
 */
public final class EventLog implements AutoCloseable {

    /**
     * One event as seen on its topic.
     *
     * @param id        id: the CloudEvents id
     * @param topic     topic: where it travelled
     * @param type      type: the CloudEvents type without {@code dev.switchback.}, e.g. {@code traffic.cutover-completed}
     * @param source    source: the service that published it
     * @param time      time: when that service recorded the fact
     * @param releaseId releaseId: the release it is about
     * @param sentAt    sentAt: the Kafka record's timestamp, when the producer (a service's outbox relay) sent it
     * @param seenAt    seenAt: when this log read it
     * @param data      data: the payload
     */
    public record Seen(String id, String topic, String type, String source, Instant time, String releaseId, Instant sentAt,
                       Instant seenAt, JsonNode data) {
    }

    private static final String PREFIX = "dev.switchback.";

    private final Map<String, List<Seen>> byRelease = new HashMap<>();
    private final Thread poller;
    private long count;
    private volatile boolean running = true;

    public EventLog(String bootstrapServers) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(Topics.ALL);
        poller = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                        add(record.topic(), record.value(), Instant.ofEpochMilli(record.timestamp()));
                    }
                }
            }
        }, "bench-event-log");
        poller.setDaemon(true);
        poller.start();
    }

    private void add(String topic, String value, Instant sentAt) {
        Instant seenAt = Instant.now();
        JsonNode event;
        try {
            event = EventCodec.mapper().readTree(value);
        } catch (Exception e) {
            return; // garbage (the dead-letter topic may hold some): not an event of a release
        }
        String releaseId = event.path("data").path("release").path("id").asText(null);
        if (releaseId == null || !event.hasNonNull("time")) {
            return;
        }
        String type = event.path("type").asText().replace(PREFIX, "");
        Seen seen = new Seen(event.path("id").asText(), topic, type, event.path("source").asText().replace("/switchback/", ""),
                OffsetDateTime.parse(event.path("time").asText()).toInstant(), releaseId, sentAt, seenAt, event.path("data"));
        synchronized (this) {
            byRelease.computeIfAbsent(releaseId, id -> new ArrayList<>()).add(seen);
            count++;
            notifyAll();
        }
    }

    /** Every event seen so far. */
    public synchronized long count() {
        return count;
    }

    /** The events of one release seen so far, in the order the log read them. */
    public synchronized List<Seen> of(String releaseId) {
        return List.copyOf(byRelease.getOrDefault(releaseId, List.of()));
    }

    /** The first event of one of the types about the release, waiting for it up to the timeout. */
    public Seen await(String releaseId, Duration timeout, String... types) {
        Set<String> wanted = Set.of(types);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                for (Seen seen : byRelease.getOrDefault(releaseId, List.of())) {
                    if (wanted.contains(seen.type())) {
                        return seen;
                    }
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IllegalStateException("release " + releaseId + ": none of " + wanted + " within " + timeout
                            + "; seen " + byRelease.getOrDefault(releaseId, List.of()).stream().map(Seen::type).toList());
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** The first event of the type about the release, if seen. */
    public java.util.Optional<Seen> first(String releaseId, String type) {
        return of(releaseId).stream().filter(s -> s.type().equals(type)).findFirst();
    }

    @Override
    public void close() {
        running = false;
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
