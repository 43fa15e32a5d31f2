package dev.switchback.messaging;

import dev.switchback.events.ReleaseCancelled;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.Topics;
import dev.switchback.infra.SharedInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/** Relays and outboxes as a service replica wires them, on the shared real broker. */
final class TestRelays {

    /** CONFIG: the defaults of {@link MessagingConfig}. */
    static final MessagingConfig CONFIG = config(Duration.ofMillis(200));

    /** The defaults of {@link MessagingConfig} but for the poll interval. */
    static MessagingConfig config(Duration pollInterval) {
        return new MessagingConfig() {
            @Override
            public Duration pollInterval() {
                return pollInterval;
            }

            @Override
            public int batchSize() {
                return 200;
            }

            @Override
            public Duration retryBackoff() {
                return Duration.ofSeconds(1);
            }

            @Override
            public boolean relayEnabled() {
                return true;
            }
        };
    }

    private TestRelays() {
    }

    static String bootstrapServers() {
        SharedInfra infra = SharedInfra.get();
        infra.kafka().createTopics(Topics.ALL);
        return infra.kafka().bootstrapServers();
    }

    /** A relay not yet started, with the service's kafka settings (a producer interceptor among them, if wanted). */
    static OutboxRelay relay(TestDatabase database, boolean intercepted) {
        return relay(database, intercepted, CONFIG);
    }

    static OutboxRelay relay(TestDatabase database, boolean intercepted, MessagingConfig config) {
        return relay(database, intercepted, config, TraceContext.off());
    }

    static OutboxRelay relay(TestDatabase database, boolean intercepted, MessagingConfig config, TraceContext trace) {
        Map<String, Object> kafka = new HashMap<>();
        kafka.put("bootstrap.servers", bootstrapServers());
        if (intercepted) {
            kafka.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, SendHook.class.getName());
        }
        kafka.put(ProducerConfig.METRIC_REPORTER_CLASSES_CONFIG, Requests.class.getName());
        return new OutboxRelay(database, config, kafka, new SimpleMeterRegistry(), trace);
    }

    static OutboxRelay started(OutboxRelay relay) {
        relay.start(null);
        return relay;
    }

    static Outbox outbox(TestDatabase database, OutboxRelay relay) {
        return outbox(database, relay, TraceContext.off());
    }

    static Outbox outbox(TestDatabase database, OutboxRelay relay, TraceContext trace) {
        return new Outbox(database, relay, "messaging-test", Clock.systemUTC(), database, trace);
    }

    /** An event about one key (a service in environment {@code test}); its reason carries the given text. */
    static ReleaseCancelled event(String service, String text) {
        return new ReleaseCancelled(new ReleaseRef(UUID.randomUUID().toString(), service, "test", "1.0.0"), text);
    }

    /** Counts the requests the last relay started sent to the broker (the producer's own {@code request-total}). */
    public static final class Requests implements MetricsReporter {

        private static volatile KafkaMetric total;

        /** The requests of every kind the newest relay's producer has sent so far. */
        static double sent() {
            KafkaMetric metric = total;
            if (metric == null) {
                throw new IllegalStateException("no relay's producer reported its metrics");
            }
            return (Double) metric.metricValue();
        }

        @Override
        public void init(List<KafkaMetric> metrics) {
            metrics.forEach(this::metricChange);
        }

        @Override
        public void metricChange(KafkaMetric metric) {
            if (metric.metricName().group().equals("producer-metrics") && metric.metricName().name().equals("request-total")) {
                total = metric;
            }
        }

        @Override
        public void metricRemoval(KafkaMetric metric) {
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    /** A producer interceptor that lets a test act in the middle of a relay's batch, as each record is sent. */
    public static final class SendHook implements ProducerInterceptor<String, String> {

        /** onSend: what to do as each record is handed to the producer; null for nothing. */
        static volatile Consumer<ProducerRecord<String, String>> onSend;

        @Override
        public ProducerRecord<String, String> onSend(ProducerRecord<String, String> record) {
            Consumer<ProducerRecord<String, String>> hook = onSend;
            if (hook != null) {
                hook.accept(record);
            }
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }
}
