package dev.switchback.releaseapi.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client over a real HTTP connection (the JDK's client): parses the stream into events and
 * comments as it arrives, so a test reads them one by one while the server is still writing.
 */
public final class SseClient implements AutoCloseable {

    /**
     * One event, or one comment line (name {@code null}, comment set).
     *
     * @param id      the {@code id:} field
     * @param name    the {@code event:} field
     * @param data    the {@code data:} lines joined
     * @param comment the text of a comment line
     */
    public record Event(String id, String name, String data, String comment) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<Stream<String>> response;
    private final CompletableFuture<Void> reading;

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reading = response.statusCode() == 200 ? CompletableFuture.runAsync(this::read)
                : CompletableFuture.completedFuture(null);
    }

    /** Connects; the response's status and headers are there once this returns. */
    public static SseClient connect(String url, String authorization, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return new SseClient(http.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** A header of the response, or empty. */
    public String header(String name) {
        return response.headers().firstValue(name).orElse("");
    }

    /** The next event or comment, waiting up to the timeout; fails when none comes. */
    public Event next(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no server-sent event within " + timeout);
        }
        return event;
    }

    /** Events (not comments) until one matches, that one included; fails when none does within the timeout. */
    public List<Event> until(Predicate<Event> last, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Event> seen = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            Event event = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no matching event within " + timeout + "; saw " + seen);
            }
            if (event.name() != null || event.data() != null) {
                seen.add(event);
                if (last.test(event)) {
                    return seen;
                }
            }
        }
    }

    /** Everything that arrived and was not read yet, without waiting. */
    public List<Event> drain() {
        List<Event> rest = new ArrayList<>();
        events.drainTo(rest);
        return rest;
    }

    /** The body, for a refusal that is not a stream. */
    public String body() {
        return String.join("\n", response.body().toList());
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = null;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (name != null || data != null) {
                        events.add(new Event(id, name, data == null ? null : data.toString(), null));
                    }
                    id = null;
                    name = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    events.add(new Event(null, null, null, line.substring(1).trim()));
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    String value = line.substring(5);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
        } catch (RuntimeException closed) {
            // the stream ended or was closed by the test
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (RuntimeException ignored) {
            // already closed
        }
        reading.cancel(true);
    }
}
