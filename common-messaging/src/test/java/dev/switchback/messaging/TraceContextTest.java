package dev.switchback.messaging;

import dev.switchback.events.CloudEvent;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.infra.test.KafkaEvents;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace context through the outbox against a real PostgreSQL and broker: recorded with the event, sent by the
 * relay as {@code traceparent} from a publish span that is the recording span's child, continued by the consumer;
 * an event recorded outside any span goes out without the header.
 */
class TraceContextTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static TestDatabase database;
    private static KafkaEvents kafka;
    private static InMemorySpanExporter spans;
    private static OpenTelemetrySdk sdk;
    private static OutboxRelay relay;

    @BeforeAll
    static void setUp() {
        database = TestDatabase.create("messaging_trace");
        kafka = new KafkaEvents(TestRelays.bootstrapServers());
        spans = InMemorySpanExporter.create();
        sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
        relay = TestRelays.started(TestRelays.relay(database, false, TestRelays.CONFIG, new TraceContext(sdk)));
    }

    @AfterAll
    static void tearDown() {
        relay.stop(null);
        kafka.close();
        sdk.close();
    }

    @Test
    void shouldSendTheRecordingSpansTraceAsTheHeaderAndContinueItInTheConsumer() {
        TraceContext trace = new TraceContext(sdk);
        Outbox outbox = TestRelays.outbox(database, relay, trace);
        String service = "traced-" + UUID.randomUUID().toString().substring(0, 8);
        Span request = sdk.getTracer("test").spanBuilder("POST /releases").setSpanKind(SpanKind.SERVER).startSpan();
        CloudEvent<SwitchbackEvent> traced;
        try (Scope ignored = request.makeCurrent()) {
            traced = outbox.publish(TestRelays.event(service, "traced"));
        } finally {
            request.end();
        }
        CloudEvent<SwitchbackEvent> untraced = outbox.publish(TestRelays.event(service, "untraced"));

        KafkaEvents.Seen sent = kafka.await(seen -> seen.isEvent() && seen.event().id().equals(traced.id()), TIMEOUT);
        KafkaEvents.Seen plain = kafka.await(seen -> seen.isEvent() && seen.event().id().equals(untraced.id()), TIMEOUT);
        String traceparent = sent.headers().get(TraceContext.TRACEPARENT);
        String traceId = request.getSpanContext().getTraceId();
        assertThat(traceparent).startsWith("00-" + traceId + "-");
        assertThat(plain.headers()).doesNotContainKey(TraceContext.TRACEPARENT);
        SpanData publish = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getKind() == SpanKind.PRODUCER && span.getTraceId().equals(traceId)).findFirst()
                .orElseThrow();
        assertThat(publish.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(traceparent.split("-")[2]).isEqualTo(publish.getSpanId());

        ConsumerRecord<String, String> record = new ConsumerRecord<>(sent.topic(), 0, 42L, sent.key(), sent.value());
        record.headers().add(TraceContext.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        AtomicReference<String> seenByHandler = new AtomicReference<>();
        trace.consuming(record, () -> seenByHandler.set(trace.current()));
        assertThat(seenByHandler.get()).startsWith("00-" + traceId + "-");
        assertThat(spans.getFinishedSpanItems()).anyMatch(span -> span.getKind() == SpanKind.CONSUMER
                && span.getTraceId().equals(traceId) && span.getParentSpanId().equals(publish.getSpanId()));
    }

    @Test
    void shouldPublishWorkResumedLaterInTheStoredContextAndUntracedWorkWithoutOne() {
        TraceContext trace = new TraceContext(sdk);
        Outbox outbox = TestRelays.outbox(database, relay, trace);
        String service = "resumed-" + UUID.randomUUID().toString().substring(0, 8);
        Span started = sdk.getTracer("test").spanBuilder("switchback.migrations process").setSpanKind(SpanKind.CONSUMER)
                .startSpan();
        String stored;
        try (Scope ignored = started.makeCurrent()) {
            stored = trace.current();
        } finally {
            started.end();
        }
        // Later, on a poller's thread with no span current: the stored context is what the outcome is published in.
        AtomicReference<CloudEvent<SwitchbackEvent>> resumed = new AtomicReference<>();
        TraceContext.within(stored, () -> resumed.set(outbox.publish(TestRelays.event(service, "resumed"))));
        AtomicReference<String> outside = new AtomicReference<>("unset");
        TraceContext.within(null, () -> outside.set(trace.current()));

        KafkaEvents.Seen sent = kafka.await(seen -> seen.isEvent() && seen.event().id().equals(resumed.get().id()), TIMEOUT);
        String traceId = started.getSpanContext().getTraceId();
        assertThat(sent.headers().get(TraceContext.TRACEPARENT)).startsWith("00-" + traceId + "-");
        assertThat(spans.getFinishedSpanItems()).as("the relay's publish span is the stored span's child")
                .anyMatch(span -> span.getKind() == SpanKind.PRODUCER && span.getTraceId().equals(traceId)
                        && span.getParentSpanId().equals(started.getSpanContext().getSpanId()));
        assertThat(trace.current()).as("nothing stays current after the work").isNull();
        assertThat(outside.get()).as("no stored context: none is made up").isNull();
    }
}
