package dev.switchback.releaseapi.stream.messaging;

import dev.switchback.events.Topics;
import dev.switchback.releaseapi.stream.StreamConfig;
import dev.switchback.releaseapi.stream.service.StreamHub;
import dev.switchback.releaseapi.stream.service.StreamProjection;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * This replica's tail of the four pipeline topics, for the live stream. It belongs to no consumer group: it assigns
 * itself every partition and starts at the end, so every replica sees every event (a shared group would give each
 * replica a share), commits no offsets, and leaves nothing behind in the broker when a replica goes away. Every
 * partition, also one that appears later (a topic created after start), is read from the first record written after
 * the tail started, found by timestamp, so a late partition neither floods clients with old events nor misses new ones.
 */
@ApplicationScoped
public class EventTail {

    private static final Logger LOG = Logger.getLogger(EventTail.class);
    /** TOPICS: what the stream shows: release-api's decisions and every stage's outcome. */
    static final List<String> TOPICS = List.of(Topics.RELEASES, Topics.MIGRATIONS, Topics.DEPLOYMENTS, Topics.TRAFFIC);
    /** REFRESH: how often the tail looks for partitions it does not read yet. */
    private static final Duration REFRESH = Duration.ofSeconds(5);

    private final StreamConfig config;
    private final StreamHub hub;
    private final StreamProjection projection;
    private final Map<String, Object> kafkaConfig;
    private final String replica;
    private volatile boolean running;
    private Thread thread;
    private KafkaConsumer<String, String> consumer;

    public EventTail(StreamConfig config, StreamHub hub, StreamProjection projection,
                     @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                     @ConfigProperty(name = "switchback.replica", defaultValue = "0") String replica) {
        this.config = config;
        this.hub = hub;
        this.projection = projection;
        this.kafkaConfig = kafkaConfig;
        this.replica = replica;
    }

    void start(@Observes StartupEvent startup) {
        if (!config.enabled()) {
            return;
        }
        Properties props = new Properties();
        // Every consumer setting among the service's kafka.* ones (bootstrap servers, TLS, SASL), as its consumers get them.
        kafkaConfig.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key) && !key.equals(ConsumerConfig.GROUP_ID_CONFIG)
                    && !key.equals(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)) {
                props.put(key, value);
            }
        });
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "release-api-stream-" + replica);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        running = true;
        thread = new Thread(this::loop, "release-stream-tail");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        Set<TopicPartition> assigned = new HashSet<>();
        long nextRefresh = 0;
        long startedAt = System.currentTimeMillis();
        try {
            while (running) {
                if (System.nanoTime() >= nextRefresh) {
                    try {
                        assign(assigned, startedAt);
                    } catch (WakeupException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        LOG.warnf("the release stream cannot read the topics' partitions yet: %s", e.getMessage());
                    }
                    nextRefresh = System.nanoTime() + REFRESH.toNanos();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(500);
                    continue;
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        projection.of(record.topic(), record.value()).ifPresent(hub::publish);
                    } catch (RuntimeException e) {
                        LOG.warnf("not streaming %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e);
                    }
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.errorf(e, "the release stream's tail stopped");
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Adds partitions not read yet, each at its first record written since the tail started. */
    private void assign(Set<TopicPartition> assigned, long startedAt) {
        Set<TopicPartition> added = new HashSet<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                if (e instanceof WakeupException wakeup) {
                    throw wakeup;
                }
                LOG.debugf("partitions of %s not known yet: %s", topic, e.getMessage());
                continue;
            }
            for (PartitionInfo info : partitions == null ? List.<PartitionInfo>of() : partitions) {
                TopicPartition partition = new TopicPartition(topic, info.partition());
                if (!assigned.contains(partition)) {
                    added.add(partition);
                }
            }
        }
        if (added.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> since = new HashMap<>();
        added.forEach(partition -> since.put(partition, startedAt));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since, Duration.ofSeconds(5));
        assigned.addAll(added);
        consumer.assign(assigned);
        for (TopicPartition partition : added) {
            OffsetAndTimestamp offset = offsets.get(partition);
            if (offset == null) {
                consumer.seekToEnd(List.of(partition));
                consumer.position(partition);
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
        LOG.debugf("release stream reads %s", added);
    }
}
