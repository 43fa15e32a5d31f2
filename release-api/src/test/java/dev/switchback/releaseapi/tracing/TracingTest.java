package dev.switchback.releaseapi.tracing;

import dev.switchback.events.CloudEvent;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.EventCodec;
import dev.switchback.events.EventType;
import dev.switchback.events.GreenReady;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseStarted;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.KafkaEvents;
import dev.switchback.messaging.TraceContext;
import dev.switchback.releaseapi.support.ReleaseApiFixture;
import dev.switchback.releaseapi.support.ReleaseApiTest;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static dev.switchback.releaseapi.support.ReleaseApiFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One release, one trace: the request's span context is stored with the events it causes in the outbox, sent by the
 * relay as the {@code traceparent} header, continued by consumers (release-api's pipeline consumer of the stages'
 * outcomes, and its own webhook intake of the outcomes on {@code switchback.releases}), and carried on by the events a
 * consumed stage outcome causes. The stages are played
 * by the test the way their services send: the context they consumed, in the header.
 */
@QuarkusTest
@TestProfile(TracingTest.Traced.class)
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_test"))
class TracingTest extends ReleaseApiTest {

    private static final String SPEC = """
            {"artifact": "/opt/apps/demo-{version}.jar",
             "runtime": {"driver": "process", "command": ["java", "-jar", "{artifact}"]},
             "router": {"driver": "embedded", "port": %d},
             "health": {"path": "/health", "deadlineSeconds": 20}}
            """;

    /** The SDK on (it is off by default), every span sampled and exported at once to the in-memory exporter. */
    public static class Traced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.traces.sampler", "always_on",
                    "quarkus.otel.bsp.schedule.delay", "PT0.05S");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Test
    void shouldCarryOneTraceFromTheRequestThroughTheOutboxKafkaAndAConsumerToTheNextEvent() {
        registerService("ci", "traced", SPEC, "local");

        String id = ReleaseApiFixture.submit(service, "local", "1.0.0");

        KafkaEvents.Seen requested = kafka.await(seen -> seen.isEvent()
                && seen.event().type().equals("dev.switchback.release.requested")
                && seen.event().data().release().id().equals(id), TIMEOUT);
        String traceId = traceIdOf(requested.headers().get(TraceContext.TRACEPARENT));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(spansOf(traceId, SpanKind.SERVER)).extracting(SpanData::getName).anyMatch(name -> name.contains("/releases"));
            assertThat(spansOf(traceId, SpanKind.PRODUCER)).extracting(SpanData::getName).contains("switchback.releases publish");
        });

        // The stages answer in the trace they consumed, as db-migrator, deployer and switcher do through their outboxes.
        ReleaseStarted started = kafka.await(ReleaseStarted.class, id, TIMEOUT);
        ReleaseRef ref = started.release();
        String traceparent = requested.headers().get(TraceContext.TRACEPARENT);
        publishInTrace(ReleaseApiFixture.MIGRATOR, new MigrationSucceeded(ref, started.spec(), List.of(), 1), traceparent);
        publishInTrace(ReleaseApiFixture.DEPLOYER, new GreenReady(ref, started.spec(), "g", ReleaseApiFixture.GREEN), traceparent);
        publishInTrace(ReleaseApiFixture.SWITCHER, new CutoverCompleted(ref, 9999, ReleaseApiFixture.BLUE,
                ReleaseApiFixture.GREEN), traceparent);

        KafkaEvents.Seen live = kafka.await(seen -> seen.isEvent()
                && seen.event().type().equals("dev.switchback.release.live")
                && seen.event().data().release().id().equals(id), TIMEOUT);
        assertThat(traceIdOf(live.headers().get(TraceContext.TRACEPARENT))).isEqualTo(traceId);
        // The cutover is consumed in the trace, and so is release.live by the webhook intake (an outcome a subscription
        // can ask for; release.requested and release.started are passed over there without a span of their own).
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(spansOf(traceId, SpanKind.CONSUMER))
                .extracting(SpanData::getName).contains("switchback.traffic process", "switchback.releases process"));
    }

    private List<SpanData> spansOf(String traceId, SpanKind kind) {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(traceId) && span.getKind() == kind).toList();
    }

    /** The trace id of a W3C traceparent: {@code 00-<trace id>-<span id>-<flags>}. */
    private static String traceIdOf(String traceparent) {
        assertThat(traceparent).as("traceparent header").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        return traceparent.split("-")[1];
    }

    private void publishInTrace(String source, SwitchbackEvent data, String traceparent) {
        CloudEvent<SwitchbackEvent> event = CloudEvent.of(source, data, OffsetDateTime.now());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(EventType.of(data).topic(), data.release().key(),
                    EventCodec.encode(event));
            record.headers().add(TraceContext.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish " + event.type(), e);
        }
    }
}
