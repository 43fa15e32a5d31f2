package dev.switchback.switcher.router.nginx;

import dev.switchback.switcher.router.EndpointStats;
import dev.switchback.switcher.router.Endpoints;
import dev.switchback.switcher.router.LatencyHistogram;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-endpoint counters of one route, read from its nginx access log: nginx OSS keeps no counters per upstream
 * server, but logs every attempt of every request. Each reading tails the log from where the previous one stopped.
 */
final class AccessLog {

    private final Path file;
    private final Map<String, LatencyHistogram> histograms = new LinkedHashMap<>();
    // host:port as nginx logs it -> the endpoint as the switcher named it.
    private final Map<String, String> endpoints = new ConcurrentHashMap<>();
    private long offset;

    /** Counts from the log's current end: the counters are since the route was opened. */
    AccessLog(Path file) {
        this.file = file;
        try {
            this.offset = Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    Path file() {
        return file;
    }

    /** Learns an endpoint's name, so its lines count under it: nginx logs the address it resolved, not the name. */
    void know(String endpoint) {
        String hostPort = Endpoints.hostPort(endpoint);
        endpoints.put(hostPort, endpoint);
        int colon = hostPort.lastIndexOf(':');
        try {
            for (InetAddress address : InetAddress.getAllByName(hostPort.substring(0, colon))) {
                String host = address.getHostAddress();
                endpoints.putIfAbsent((host.contains(":") ? "[" + host + "]" : host) + hostPort.substring(colon), endpoint);
            }
        } catch (UnknownHostException e) {
            // nginx would not have loaded a name it cannot resolve either; the lines count under the address.
        }
    }

    /** The counters per endpoint, after reading what nginx logged since the last reading. */
    synchronized Map<String, EndpointStats> read() {
        tail();
        Map<String, EndpointStats> snapshot = new LinkedHashMap<>();
        histograms.forEach((endpoint, histogram) -> snapshot.put(endpoint, histogram.snapshot()));
        return snapshot;
    }

    private void tail() {
        if (!Files.exists(file)) {
            return;
        }
        try (RandomAccessFile log = new RandomAccessFile(file.toFile(), "r")) {
            long length = log.length();
            if (length < offset) {
                // Rotated or truncated under us: what is there now is all new.
                offset = 0;
            }
            if (length == offset) {
                return;
            }
            byte[] bytes = new byte[(int) Math.min(length - offset, 64L * 1024 * 1024)];
            log.seek(offset);
            log.readFully(bytes);
            int end = lastNewline(bytes);
            if (end < 0) {
                return;
            }
            // Only whole lines: nginx may be writing the next one right now.
            String text = new String(bytes, 0, end + 1, StandardCharsets.UTF_8);
            offset += end + 1;
            text.lines().forEach(this::count);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Counts one request: each attempt to an endpoint counts for it, an error when it answered 5xx or nothing. An
     * earlier attempt lasted its upstream time; the last one what the client waited, as the embedded router measures.
     */
    private void count(String line) {
        String[] fields = line.split("\\|", -1);
        if (fields.length != 5 || fields[0].equals("-")) {
            return;
        }
        // Several attempts are listed with ", "; an internal redirect adds " : ".
        String[] addresses = fields[0].split(", | : ");
        String[] statuses = fields[1].split(", | : ");
        String[] times = fields[2].split(", | : ");
        for (int i = 0; i < addresses.length; i++) {
            boolean last = i == addresses.length - 1;
            String status = i < statuses.length ? statuses[i] : "-";
            boolean error = !status.matches("\\d{3}") || status.charAt(0) == '5';
            long micros = micros(last ? fields[4] : i < times.length ? times[i] : "-");
            String endpoint = endpoints.getOrDefault(addresses[i], "http://" + addresses[i]);
            histograms.computeIfAbsent(endpoint, e -> new LatencyHistogram()).record(micros, error);
        }
    }

    private static long micros(String seconds) {
        try {
            return Math.round(Double.parseDouble(seconds) * 1_000_000);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
