package dev.switchback.sample;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The app's requests as Prometheus counters, in the names and labels Micrometer gives a Quarkus or Spring service
 * ({@code http_server_requests_seconds_count|sum|bucket} by {@code method}, {@code uri}, {@code status}), so
 * analysis is tested on the queries it runs against real services. Which service, environment, release and color an
 * instance is comes from the scrape (target labels), as in a cluster, not from the app.
 */
final class RequestMetrics {

    /** BOUNDS_SECONDS: the histogram's upper bounds, the Prometheus client's defaults; +Inf follows. */
    static final double[] BOUNDS_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** The paths the app serves are its own {@code uri} values; anything else is one value, so labels stay few. */
    private static final java.util.Set<String> KNOWN_PATHS = java.util.Set.of("/version", "/health", "/notes");

    private record Key(String method, String uri, int status) {
    }

    private static final class Series {
        final AtomicLongArray buckets = new AtomicLongArray(BOUNDS_SECONDS.length + 1);
        final DoubleAdder seconds = new DoubleAdder();
    }

    private final Map<Key, Series> series = new ConcurrentHashMap<>();

    /** Records one answered request. */
    void record(String method, String path, int status, long nanos) {
        String uri = KNOWN_PATHS.contains(path) ? path : "UNKNOWN";
        String verb = switch (method) {
            case "GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS" -> method;
            default -> "OTHER";
        };
        Series one = series.computeIfAbsent(new Key(verb, uri, status), key -> new Series());
        double seconds = nanos / 1e9;
        int bucket = 0;
        while (bucket < BOUNDS_SECONDS.length && seconds > BOUNDS_SECONDS[bucket]) {
            bucket++;
        }
        one.buckets.incrementAndGet(bucket);
        one.seconds.add(seconds);
    }

    /** The counters in Prometheus' text exposition format (version 0.0.4). */
    String exposition() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP http_server_requests_seconds Requests the app answered.\n");
        out.append("# TYPE http_server_requests_seconds histogram\n");
        Map<Key, Series> sorted = new TreeMap<>(java.util.Comparator.comparing(Key::uri).thenComparing(Key::method)
                .thenComparingInt(Key::status));
        sorted.putAll(series);
        sorted.forEach((key, one) -> {
            String labels = "method=\"" + key.method() + "\",uri=\"" + key.uri() + "\",status=\"" + key.status() + "\"";
            long cumulative = 0;
            for (int i = 0; i <= BOUNDS_SECONDS.length; i++) {
                cumulative += one.buckets.get(i);
                String le = i < BOUNDS_SECONDS.length ? Double.toString(BOUNDS_SECONDS[i]) : "+Inf";
                out.append("http_server_requests_seconds_bucket{").append(labels).append(",le=\"").append(le)
                        .append("\"} ").append(cumulative).append('\n');
            }
            out.append("http_server_requests_seconds_count{").append(labels).append("} ").append(cumulative).append('\n');
            out.append("http_server_requests_seconds_sum{").append(labels).append("} ")
                    .append(String.format(Locale.ROOT, "%.6f", one.seconds.sum())).append('\n');
        });
        return out.toString();
    }
}
