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
 * request in flight) but with no linger: the relay's lingers only until the flush that ends its batch, which for one
 * message is the same; consumers are Kafka's defaults. One message at a time, as one release at a time.
 * The clients stay open between trips, so a benchmark can take one trip beside each release, in the state the
 * release meets, rather than all of them after the releases, when the machine may be quieter or busier.
 */
public final class KafkaFloor implements AutoCloseable {

    /** WARM_UP: trips taken, and not counted, when the floor opens (the clients' first requests, metadata). */
    static final int WARM_UP = 10;

    private final int hops;
    private final String run;
    private final BlockingQueue<Long> arrived = new ArrayBlockingQueue<>(1);
    private final List<Thread> relays = new ArrayList<>();
    private final List<KafkaConsumer<String, String>> consumers = new ArrayList<>();
    private final List<KafkaProducer<String, String>> producers = new ArrayList<>();
    private int round;

    private KafkaFloor(int hops, String run) {
        this.hops = hops;
        this.run = run;
    }

    /** Topics and clients for {@code hops} hops, warmed up by {@link #WARM_UP} trips. */
    public static KafkaFloor open(String bootstrap, int hops) throws Exception {
        if (hops < 1) {
            throw new IllegalArgumentException("a floor needs at least one hop, not " + hops);
        }
        KafkaFloor floor = new KafkaFloor(hops, "bench.floor." + UUID.randomUUID().toString().substring(0, 8) + ".");
        try {
            floor.start(bootstrap);
            for (int i = 0; i < WARM_UP; i++) {
                floor.trip();
            }
            return floor;
        } catch (Exception | Error e) {
            try {
                floor.close();
            } catch (InterruptedException | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private void start(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            for (int hop = 0; hop < hops; hop++) {
                topics.add(new NewTopic(run + hop, 1, (short) 1));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
        producers.add(producer(bootstrap));
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
    }

    /** One message through every hop: the milliseconds from its first send to its arrival after the last hop. */
    public double trip() throws InterruptedException {
        long sent = System.nanoTime();
        producers.get(0).send(new ProducerRecord<>(run + 0, "key", "{\"round\":" + round++ + "}"));
        Long at = arrived.poll(30, TimeUnit.SECONDS);
        if (at == null) {
            throw new IllegalStateException("a floor message did not arrive through " + hops + " hops in 30 s");
        }
        return (at - sent) / 1e6;
    }

    @Override
    public void close() throws InterruptedException {
        consumers.forEach(KafkaConsumer::wakeup);
        for (Thread relay : relays) {
            relay.join(5_000);
        }
        consumers.forEach(KafkaConsumer::close);
        producers.forEach(KafkaProducer::close);
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
