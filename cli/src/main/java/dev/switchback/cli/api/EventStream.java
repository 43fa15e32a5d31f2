package dev.switchback.cli.api;

import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One connection to {@code GET /releases/stream}, read by a thread of its own into a queue, so the caller can wait
 * for the next event with a deadline and give up on time however quiet the stream is.
 */
public final class EventStream implements AutoCloseable {

    /**
     * A server-sent event.
     *
     * @param id   its id (the CloudEvents id); null for the stream's own events
     * @param name its name: a CloudEvents type, or {@code snapshot}
     * @param data its data: JSON
     */
    public record Event(String id, String name, String data) {
    }

    /** END: what the queue gets when the connection ended. */
    private static final Event END = new Event(null, null, null);

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    private EventStream(HttpResponse<Stream<String>> response) {
        this.response = response;
        Thread reader = new Thread(this::read, "switchback-stream");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects with the query; resumes after {@code lastEventId} when given. */
    public static EventStream open(ApiClient api, String query, String lastEventId) {
        return new EventStream(api.openStream("/releases/stream" + query, lastEventId));
    }

    /**
     * The next event, waiting at most {@code millis}.
     *
     * @return the event; null when none came in time
     * @throws Ended when the connection ended
     */
    public Event next(long millis) throws InterruptedException, Ended {
        Event event = events.poll(Math.max(0, millis), TimeUnit.MILLISECONDS);
        if (event == END) {
            events.add(END);
            throw new Ended();
        }
        return event;
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = null;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data = null;
                } else if (line.startsWith("id:")) {
                    id = value(line, 3);
                } else if (line.startsWith("event:")) {
                    name = value(line, 6);
                } else if (line.startsWith("data:")) {
                    String value = value(line, 5);
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
                // Comment lines (heartbeats) only keep the connection open.
            }
        } catch (RuntimeException ended) {
            // the server went away, or close() was called
        } finally {
            events.add(END);
        }
    }

    private static String value(String line, int from) {
        String value = line.substring(from);
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (RuntimeException ignored) {
            // already closed
        }
    }

    /** The connection ended; the caller may reconnect with the last event's id. */
    public static final class Ended extends Exception {
        public Ended() {
            super("the stream ended", null, false, false);
        }
    }
}
