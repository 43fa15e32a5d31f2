package dev.switchback.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Hands a consumer's Kafka records to a fixed set of lanes, one thread each, chosen by the record's key: the records
 * of one key (events are keyed by service and environment) run one after the other in the order the consumer read
 * them, those of different keys at once. One consumer thread for every service made a hundred services' releases
 * wait for each other; partitions alone would not do (a topic has a few, a fleet hundreds of keys).
 * <p>
 * A record is acknowledged when its handler returns and negatively acknowledged (the channel's failure strategy: the
 * dead-letter topic) when it throws; the connector's throttled commit commits an offset only once every record before
 * it is acknowledged, so a crash hands the unfinished records to the next consumer again (at least once, as before;
 * the {@link Inbox} makes the effects once). At most {@link LanesConfig#maxInFlight()} records wait in the lanes: the
 * stage returned to the connector completes only when there is room, so the consumer is held back, not the event
 * loop blocked.
 */
@ApplicationScoped
public class KeyedLanes {

    private static final Logger LOG = Logger.getLogger(KeyedLanes.class);

    private final LanesConfig config;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Queue<CompletableFuture<Void>> waiting = new ConcurrentLinkedQueue<>();
    private ExecutorService[] lanes;

    public KeyedLanes(LanesConfig config) {
        this.config = config;
    }

    @PostConstruct
    void init() {
        lanes = new ExecutorService[Math.max(1, config.count())];
        for (int i = 0; i < lanes.length; i++) {
            String name = "lane-" + i;
            lanes[i] = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, name);
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    void shutdown(@Observes ShutdownEvent shutdown) {
        // Records not handled yet are not acknowledged: the next consumer of their partition gets them again.
        for (ExecutorService lane : lanes) {
            lane.shutdownNow();
        }
    }

    /**
     * Queues the Kafka record the message carries on its key's lane.
     *
     * @return a stage that completes when the lanes can take another record
     */
    public CompletionStage<Void> submit(Message<?> message, Consumer<ConsumerRecord<String, String>> handler) {
        @SuppressWarnings("unchecked")
        ConsumerRecord<String, String> record = (ConsumerRecord<String, String>) message
                .getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow(() -> new IllegalArgumentException(
                        "not a Kafka record: " + message)).getRecord();
        ExecutorService lane = lanes[Math.floorMod(Objects.hashCode(record.key()), lanes.length)];
        inFlight.incrementAndGet();
        try {
            lane.execute(() -> {
                try {
                    handler.accept(record);
                    message.ack();
                } catch (RuntimeException | Error e) {
                    LOG.warnf("record %s-%d@%d failed: %s", record.topic(), record.partition(), record.offset(), e);
                    message.nack(e);
                } finally {
                    finished();
                }
            });
        } catch (RuntimeException e) {
            // Shutting down: not acknowledged, read again by the next consumer.
            finished();
            return CompletableFuture.failedFuture(e);
        }
        return room();
    }

    /** How many records are queued or running in the lanes now. */
    public int inFlight() {
        return inFlight.get();
    }

    private CompletionStage<Void> room() {
        if (inFlight.get() < config.maxInFlight()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> wait = new CompletableFuture<>();
        waiting.add(wait);
        // A lane may have finished between the check and the add.
        if (inFlight.get() < config.maxInFlight()) {
            wakeOne();
        }
        return wait;
    }

    private void finished() {
        if (inFlight.decrementAndGet() < config.maxInFlight()) {
            wakeOne();
        }
    }

    private void wakeOne() {
        CompletableFuture<Void> next = waiting.poll();
        if (next != null) {
            next.complete(null);
        }
    }
}
