package dev.switchback.messaging;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The lanes' logic alone: one key's records in order, other keys meanwhile, the consumer held back when full. */
class KeyedLanesTest {

    private static final String SERVICE_A = "a/local";
    private static final String SERVICE_B = "b/local";

    private KeyedLanes lanes;

    @AfterEach
    void stop() {
        lanes.shutdown(null);
    }

    @Test
    void shouldHandleAnotherServicesRecordWhileOneServicesRecordIsStillRunning() throws Exception {
        lanes = lanes(8, 100);
        CountDownLatch release = new CountDownLatch(1);
        List<String> handled = new CopyOnWriteArrayList<>();
        Tracked firstOfA = record(SERVICE_A, 0);
        Tracked secondOfA = record(SERVICE_A, 1);
        Tracked ofB = record(SERVICE_B, 2);

        lanes.submit(firstOfA.message(), r -> {
            hold(release);
            handled.add("a0");
        });
        lanes.submit(secondOfA.message(), r -> handled.add("a1"));
        lanes.submit(ofB.message(), r -> handled.add("b2"));

        ofB.acked().get(5, TimeUnit.SECONDS);
        assertThat(handled).as("b ran while a's first record was still running").containsExactly("b2");
        assertThat(secondOfA.acked()).as("a's second record waits for its first").isNotDone();
        release.countDown();
        secondOfA.acked().get(5, TimeUnit.SECONDS);
        assertThat(handled).containsExactly("b2", "a0", "a1");
        assertThat(firstOfA.acked()).isDone();
    }

    @Test
    void shouldHoldTheConsumerBackWhileTheLanesAreFull() throws Exception {
        lanes = lanes(2, 2);
        CountDownLatch release = new CountDownLatch(1);
        assertThat(lanes.submit(record(SERVICE_A, 0).message(), r -> hold(release))).isCompleted();
        CompletionStage<Void> room = lanes.submit(record(SERVICE_B, 1).message(), r -> hold(release));

        assertThat(room.toCompletableFuture()).as("two records in the lanes: no room for a third yet").isNotDone();
        release.countDown();
        room.toCompletableFuture().get(5, TimeUnit.SECONDS);
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> lanes.inFlight() == 0);
    }

    @Test
    void shouldNegativelyAcknowledgeARecordWhoseHandlerFails() throws Exception {
        lanes = lanes(2, 10);
        Tracked failing = record(SERVICE_A, 0);
        Tracked next = record(SERVICE_A, 1);

        lanes.submit(failing.message(), r -> {
            throw new IllegalStateException("broken");
        });
        lanes.submit(next.message(), r -> { });

        assertThat(failing.nacked().get(5, TimeUnit.SECONDS)).hasMessage("broken");
        next.acked().get(5, TimeUnit.SECONDS);
        assertThat(failing.acked()).isNotDone();
    }

    /** A message as the Kafka connector hands it over, with what happened to it. */
    private record Tracked(Message<String> message, CompletableFuture<Void> acked, CompletableFuture<Throwable> nacked) {
    }

    private static Tracked record(String key, long offset) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        CompletableFuture<Throwable> nacked = new CompletableFuture<>();
        ConsumerRecord<String, String> record = new ConsumerRecord<>("switchback.test", 0, offset, key, "{}");
        Message<String> message = Message.of("{}", Metadata.of(new IncomingKafkaRecordMetadata<>(record, "pipeline")),
                () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                }, failure -> {
                    nacked.complete(failure);
                    return CompletableFuture.completedFuture(null);
                });
        return new Tracked(message, acked, nacked);
    }

    private static KeyedLanes lanes(int count, int maxInFlight) {
        KeyedLanes lanes = new KeyedLanes(new LanesConfig() {
            @Override
            public int count() {
                return count;
            }

            @Override
            public int maxInFlight() {
                return maxInFlight;
            }
        });
        lanes.init();
        return lanes;
    }

    private static void hold(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
