package dev.switchback.releaseapi.stream.service;

import dev.switchback.releaseapi.stream.StreamEvent;
import dev.switchback.releaseapi.stream.StreamFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;

/**
 * One client of the stream: a bounded queue in front of its connection and one write in flight at a time. The next
 * write starts when the last one reached the socket, so a client that reads slowly fills its queue, not the server's
 * memory; one that falls {@code capacity} events behind is disconnected and may reconnect with {@code Last-Event-ID}.
 */
public final class Subscription {

    private static final Logger LOG = Logger.getLogger(Subscription.class);

    private final SseEventSink sink;
    private final Sse sse;
    private final StreamFilter filter;
    private final int capacity;
    private final ArrayDeque<OutboundSseEvent> queue = new ArrayDeque<>();
    private boolean writing;
    private boolean closed;
    private Runnable onClose = () -> { };

    public Subscription(SseEventSink sink, Sse sse, StreamFilter filter, int capacity) {
        this.sink = sink;
        this.sse = sse;
        this.filter = filter;
        this.capacity = capacity;
    }

    /** What runs once the subscription ends, whoever ends it; at once when it has already ended. */
    void onClose(Runnable onClose) {
        boolean ended;
        synchronized (this) {
            this.onClose = onClose;
            ended = closed;
        }
        if (ended) {
            onClose.run();
        }
    }

    /** Queues the event if the client asked for it. */
    public void offer(StreamEvent event) {
        if (filter.matches(event)) {
            enqueue(sse.newEventBuilder().id(event.id()).name(event.type()).mediaType(MediaType.TEXT_PLAIN_TYPE)
                    .data(String.class, event.json()).build());
        }
    }

    /** Queues an event of the stream's own (a snapshot) whatever the filter. */
    public void offer(String name, String json) {
        enqueue(sse.newEventBuilder().name(name).mediaType(MediaType.TEXT_PLAIN_TYPE).data(String.class, json).build());
    }

    /** Queues a comment line: a heartbeat, or the first bytes that tell the client the stream is open. */
    public void comment(String text) {
        enqueue(sse.newEventBuilder().comment(text).build());
    }

    public synchronized boolean isClosed() {
        return closed || sink.isClosed();
    }

    /** Ends the subscription and its connection. */
    public void close() {
        Runnable then;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            then = onClose;
        }
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOG.debugf("closing a stream: %s", e.getMessage());
        }
        then.run();
    }

    private void enqueue(OutboundSseEvent event) {
        boolean overflow;
        synchronized (this) {
            if (isClosed()) {
                overflow = false;
            } else if (queue.size() >= capacity) {
                overflow = true;
            } else {
                queue.add(event);
                if (!writing) {
                    writeNext();
                }
                return;
            }
        }
        if (overflow) {
            LOG.infof("disconnecting a stream client %d events behind", capacity);
        }
        close();
    }

    /** Starts the next write; called holding the monitor, with no write in flight. */
    private void writeNext() {
        OutboundSseEvent next = queue.poll();
        if (next == null) {
            writing = false;
            return;
        }
        writing = true;
        sink.send(next).whenComplete((ignored, failure) -> {
            if (failure != null) {
                close();
                return;
            }
            synchronized (this) {
                if (!closed) {
                    writeNext();
                }
            }
        });
    }
}
