package dev.switchback.bench.overhead;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The physical floor of a release's pipeline: a message handed on through {@code hops} produce → consume steps
 * between plain Kafka clients on the suite's own broker, each step a consumer that produces the message on to the
 * next topic, as each service does. Producers are configured as the outbox relay's (acks=all, idempotent, one
 * request in flight, no linger); consumers are Kafka's defaults. One message at a time, as one release at a time.
 */
public final class KafkaFloor {

    private KafkaFloor() {
    }

    /** The time of each of {@code rounds} trips through {@code hops} hops, in milliseconds, after a warm-up. */
    public static List<Double> measure(String bootstrap, int hops, int rounds) throws Exception {
        String run = "bench.floor." + UUID.randomUUID().toString().substring(0, 8) + ".";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            for (int hop = 0; hop < hops; hop++) {
                topics.add(new NewTopic(run + hop, 1, (short) 1));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
        BlockingQueue<Long> arrived = new ArrayBlockingQueue<>(1);
        List<Thread> relays = new ArrayList<>();
        List<KafkaConsumer<String, String>> consumers = new ArrayList<>();
        KafkaProducer<String, String> first = producer(bootstrap);
        List<KafkaProducer<String, String>> producers = new ArrayList<>(List.of(first));
        try {
            for (int hop = 0; hop < hops; hop++) {
                KafkaConsumer<String, String> consumer = consumer(bootstrap, run + hop);
                consumers.add(consumer);
                KafkaProducer<String, String> next = hop + 1 < hops ? producer(bootstrap) : null;
                if (next != null) {
                    producers.add(next);
                }
                String onward = run + (hop + 1);
                Thread relay = new Thread(() -> {
                    try {
                        while (!Thread.currentThread().isInterrupted()) {
                            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                                if (next != null) {
                                    next.send(new ProducerRecord<>(onward, record.key(), record.value()));
                                } else {
                                    arrived.offer(System.nanoTime());
                                }
                            }
                        }
                    } catch (org.apache.kafka.common.errors.WakeupException e) {
                        // stopped
                    }
                }, "floor-hop-" + hop);
                relay.setDaemon(true);
                relays.add(relay);
            }
            relays.forEach(Thread::start);
            List<Double> trips = new ArrayList<>();
            int warmUp = Math.max(5, rounds / 10);
            for (int round = 0; round < warmUp + rounds; round++) {
                long sent = System.nanoTime();
                first.send(new ProducerRecord<>(run + 0, "key", "{\"round\":" + round + "}"));
                Long at = arrived.poll(30, TimeUnit.SECONDS);
                if (at == null) {
                    throw new IllegalStateException("a floor message did not arrive through " + hops + " hops in 30 s");
                }
                if (round >= warmUp) {
                    trips.add((at - sent) / 1e6);
                }
            }
            return trips;
        } finally {
            consumers.forEach(KafkaConsumer::wakeup);
            for (Thread relay : relays) {
                relay.join(5_000);
            }
            consumers.forEach(KafkaConsumer::close);
            producers.forEach(KafkaProducer::close);
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer());
    }

    /** A consumer that owns its topic's only partition from its end on, so it waits for nothing but data. */
    private static KafkaConsumer<String, String> consumer(String bootstrap, String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-floor-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
        // Join the group before the first message, so the first trip does not include the rebalance.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        return consumer;
    }
}
