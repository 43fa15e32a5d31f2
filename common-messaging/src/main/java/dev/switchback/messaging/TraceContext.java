package dev.switchback.messaging;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How one release stays one trace across the services: the W3C {@code traceparent} of the span that caused an event
 * is stored with it in the outbox, sent as a Kafka header by the relay (from a publish span of its own), and continued
 * by the consumer that reads it, whose effects' events carry it on. With the SDK off (the default) every span is a
 * no-op and nothing is stored or sent.
 */
@ApplicationScoped
public class TraceContext {

    /** TRACEPARENT: the W3C trace context header and outbox column. */
    public static final String TRACEPARENT = "traceparent";
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    private static final TextMapGetter<String> ONE_VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private final Tracer tracer;

    public TraceContext(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("dev.switchback.messaging");
    }

    /** A trace context that records nothing, for code wired by hand without OpenTelemetry. */
    public static TraceContext off() {
        return new TraceContext(OpenTelemetry.noop());
    }

    /** The {@code traceparent} of the current span, or null when nothing is traced. */
    public String current() {
        return traceparentOf(Context.current());
    }

    /**
     * Runs a consumer's handling of a record inside a span continuing the record's {@code traceparent} (else the
     * current context), so what the handler publishes carries the same trace on.
     */
    public void consuming(ConsumerRecord<String, String> record, Runnable handling) {
        String traceparent = header(record, TRACEPARENT);
        Context parent = traceparent == null ? Context.current() : extract(traceparent);
        Span span = tracer.spanBuilder(record.topic() + " process").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "kafka").setAttribute(DESTINATION, record.topic())
                .setAttribute(OFFSET, record.offset()).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            handling.run();
        } catch (RuntimeException e) {
            span.recordException(e);
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * Runs work that a release's earlier step scheduled (a health gate, an analysis interval, polled long after the
     * event that began it was handled) in that step's stored context, so what it publishes stays in the release's
     * trace. No span of its own: a bake polled every second would otherwise add thousands of them to one trace.
     */
    public static void within(String storedTraceparent, Runnable work) {
        if (storedTraceparent == null) {
            work.run();
            return;
        }
        try (Scope ignored = extract(storedTraceparent).makeCurrent()) {
            work.run();
        }
    }

    /**
     * Starts the relay's publish span of a stored event, child of the context it was recorded in; null when it was
     * recorded without one. The caller ends it once the broker acknowledged the record.
     */
    public Span publishing(String storedTraceparent, String topic) {
        if (storedTraceparent == null) {
            return null;
        }
        return tracer.spanBuilder(topic + " publish").setParent(extract(storedTraceparent))
                .setSpanKind(SpanKind.PRODUCER).setAttribute(SYSTEM, "kafka").setAttribute(DESTINATION, topic)
                .startSpan();
    }

    /** The header to send for a stored event: its publish span's context, or the stored one when this relay traces nothing. */
    public static String headerFor(Span publishSpan, String storedTraceparent) {
        if (publishSpan != null && publishSpan.getSpanContext().isValid()) {
            return traceparentOf(Context.current().with(publishSpan));
        }
        return storedTraceparent;
    }

    private static Context extract(String traceparent) {
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, ONE_VALUE);
    }

    private static String traceparentOf(Context context) {
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(context, carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers() == null ? null : record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
