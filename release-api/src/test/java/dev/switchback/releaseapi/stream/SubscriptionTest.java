package dev.switchback.releaseapi.stream;

import dev.switchback.releaseapi.stream.service.Subscription;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import org.jboss.resteasy.reactive.server.jaxrs.SseImpl;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/** One client's queue: one write in flight, a bounded backlog, and a client that falls behind is let go. */
class SubscriptionTest {

    private static final int CAPACITY = 4;
    private static final UUID RELEASE = UUID.randomUUID();

    /** A connection whose writes complete only when the test says so, as a client that stopped reading. */
    static final class SlowSink implements SseEventSink {
        final List<OutboundSseEvent> written = new ArrayList<>();
        final List<CompletableFuture<Void>> pending = new ArrayList<>();
        boolean closed;

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public synchronized CompletionStage<?> send(OutboundSseEvent event) {
            written.add(event);
            CompletableFuture<Void> write = new CompletableFuture<>();
            pending.add(write);
            return write;
        }

        @Override
        public void close() {
            closed = true;
        }

        void completeOldest() {
            pending.remove(0).complete(null);
        }
    }

    @Test
    void shouldWriteOneEventAtATimeAndKeepTheRestQueued() {
        SlowSink sink = new SlowSink();
        Subscription subscription = subscribe(sink, null);
        subscription.offer(event("a", RELEASE));
        subscription.offer(event("b", RELEASE));
        subscription.offer(event("c", RELEASE));
        assertThat(sink.written).extracting(OutboundSseEvent::getId).containsExactly("a");

        sink.completeOldest();
        sink.completeOldest();

        assertThat(sink.written).extracting(OutboundSseEvent::getId).containsExactly("a", "b", "c");
        assertThat(subscription.isClosed()).isFalse();
    }

    @Test
    void shouldDisconnectAClientThatFallsMoreThanItsBufferBehind() {
        SlowSink sink = new SlowSink();
        Subscription subscription = subscribe(sink, null);
        for (int i = 0; i <= CAPACITY; i++) {
            subscription.offer(event("e" + i, RELEASE));
        }
        assertThat(subscription.isClosed()).as("one in flight and four queued").isFalse();

        subscription.offer(event("one-too-many", RELEASE));

        assertThat(subscription.isClosed()).isTrue();
        assertThat(sink.closed).isTrue();
        assertThat(sink.written).hasSize(1);
    }

    @Test
    void shouldSkipEventsOfOtherReleasesWithoutQueueingThem() {
        SlowSink sink = new SlowSink();
        Subscription subscription = subscribe(sink, RELEASE);
        for (int i = 0; i < CAPACITY * 3; i++) {
            subscription.offer(event("other" + i, UUID.randomUUID()));
        }
        subscription.offer(event("mine", RELEASE));

        assertThat(subscription.isClosed()).isFalse();
        assertThat(sink.written).extracting(OutboundSseEvent::getId).containsExactly("mine");
    }

    private static Subscription subscribe(SlowSink sink, UUID release) {
        return new Subscription(sink, new SseImpl(), new StreamFilter(null, null, release, Optional.empty()), CAPACITY);
    }

    private static StreamEvent event(String id, UUID release) {
        return new StreamEvent(id, "dev.switchback.release.started", release, "svc", "local", null, null, null, true, null);
    }
}
