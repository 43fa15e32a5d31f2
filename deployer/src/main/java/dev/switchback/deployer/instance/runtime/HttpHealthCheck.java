package dev.switchback.deployer.instance.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Calls a health path on a handle's endpoint: 2xx is ready, anything else is "not yet" with what was seen. For the
 * drivers whose instances answer HTTP directly; the caller decides whether "not yet" became final.
 * <p>
 * A blocking {@link HttpURLConnection} on the caller's thread, not {@code java.net.http.HttpClient}: blue's check is
 * on every release's path, and HttpClient hands each exchange to its selector thread and back, a wait for two busy
 * cores to schedule another thread twice (BENCHMARKS.md, the overhead's runs of 2026-12-07). Redirects are not
 * followed and no proxy is asked, as with HttpClient's defaults.
 */
public class HttpHealthCheck {

    /** BODY_LIMIT: how much of an unhealthy answer's body is kept in the reason. */
    private static final int BODY_LIMIT = 200;

    /** READ_LIMIT: the most of a body read. */
    private static final int READ_LIMIT = 64 * 1024;

    private final int timeoutMillis;

    public HttpHealthCheck(Duration timeout) {
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }

    public Answer check(URI endpoint, String path) {
        String url = endpoint.toString() + (path == null ? "" : path);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        HttpURLConnection connection = null;
        try {
            URI target = URI.create(url);
            // Only HTTP is asked: another scheme's connection is no HttpURLConnection, or none with a proxy at all.
            if (!"http".equalsIgnoreCase(target.getScheme()) && !"https".equalsIgnoreCase(target.getScheme())) {
                return Answer.notYet(url + ": not an HTTP endpoint");
            }
            connection = (HttpURLConnection) target.toURL().openConnection(Proxy.NO_PROXY);
            connection.setConnectTimeout(timeoutMillis);
            connection.setReadTimeout(timeoutMillis);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            int status = connection.getResponseCode();
            boolean ready = status / 100 == 2;
            String body = body(ready ? connection.getInputStream() : connection.getErrorStream(), deadline);
            if (ready) {
                return Answer.yes();
            }
            return Answer.notYet(url + " answered " + status + " " + body.substring(0, Math.min(BODY_LIMIT, body.length())));
        } catch (IOException | IllegalArgumentException e) {
            if (connection != null) {
                connection.disconnect();
            }
            return Answer.notYet(url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    /**
     * Reads the body, so the connection goes back to the keep-alive cache for the next check; at most
     * {@link #READ_LIMIT} bytes of it, so an instance answering without end cannot fill the deployer's memory, and
     * only until the deadline: the read timeout bounds each read, and a body trickling in byte by byte would
     * otherwise hold the lane for one timeout per byte.
     */
    private static String body(InputStream stream, long deadline) throws IOException {
        if (stream == null) {
            return "";
        }
        try (stream) {
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while (read.size() < READ_LIMIT
                    && (n = stream.read(buffer, 0, Math.min(buffer.length, READ_LIMIT - read.size()))) != -1) {
                read.write(buffer, 0, n);
                if (System.nanoTime() - deadline > 0) {
                    throw new SocketTimeoutException("the answer's body took longer than the health timeout");
                }
            }
            return read.toString(StandardCharsets.UTF_8);
        }
    }
}
