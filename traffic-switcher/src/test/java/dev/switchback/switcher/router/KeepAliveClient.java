package dev.switchback.switcher.router;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A small HTTP/1.1 client on one keep-alive connection, cheap enough to load a router from the same two cores. Like
 * browsers and the JDK's client, it sends a GET again, once, on a new connection when a reused one turns out closed
 * before any byte of an answer (RFC 9112 §9.3.1): the server did not process it. It counts those retries.
 */
public final class KeepAliveClient implements AutoCloseable {

    /** An answer: status and body. */
    public record Response(int status, String body) {
    }

    /** A reused connection that closed before answering: the request can go again. */
    private static final class Stale extends IOException {
        Stale(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean reused;
    private long retries;

    public KeepAliveClient(String host, int port, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    /** One GET on a fresh connection that the client closes: reaches whatever the server runs now. */
    public static Response getOnce(int port, String path) throws IOException {
        try (KeepAliveClient client = new KeepAliveClient("127.0.0.1", port, 5000)) {
            return client.send("GET", path, true);
        }
    }

    public Response get(String path) throws IOException {
        return send("GET", path, false);
    }

    /** A POST with a small body; never sent twice, as a POST may have taken effect. */
    public Response post(String path) throws IOException {
        return send("POST", path, false);
    }

    /** How many times a GET went again on a new connection. */
    public long retries() {
        return retries;
    }

    private Response send(String method, String path, boolean close) throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            return exchange(method, path, close);
        } catch (Stale stale) {
            boolean wasReused = reused;
            close();
            if (!wasReused || !method.equals("GET")) {
                throw new IOException(stale.getMessage(), stale.getCause());
            }
            retries++;
            connect();
            return exchange(method, path, close);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        in = new BufferedInputStream(socket.getInputStream(), 8192);
        out = socket.getOutputStream();
        reused = false;
    }

    private Response exchange(String method, String path, boolean close) throws IOException {
        String body = method.equals("POST") ? "note" : "";
        String request = method + " " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
                + (close ? "Connection: close\r\n" : "")
                + (body.isEmpty() ? "" : "Content-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n")
                + "\r\n" + body;
        int first;
        try {
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            first = in.read();
        } catch (IOException e) {
            throw new Stale(method + " " + path + ": " + e, e);
        }
        if (first < 0) {
            throw new Stale(method + " " + path + ": connection closed before an answer", null);
        }
        String statusLine = (char) first + line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean serverCloses = parts[0].equals("HTTP/1.0");
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase();
            String value = header.substring(colon + 1).trim().toLowerCase();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> serverCloses = value.contains("close") || (serverCloses && !value.contains("keep-alive"));
                default -> {
                }
            }
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        if (chunked) {
            for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                 size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                content.write(in.readNBytes((int) size));
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (length >= 0) {
            byte[] bytes = in.readNBytes((int) length);
            if (bytes.length < length) {
                throw new IOException("answer cut after " + bytes.length + " of " + length + " bytes");
            }
            content.write(bytes);
        } else {
            content.write(in.readAllBytes());
            serverCloses = true;
        }
        if (serverCloses || close) {
            close();
        } else {
            reused = true;
        }
        return new Response(status, content.toString(StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed in the middle of an answer");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing is all that was wanted.
            }
        }
        socket = null;
        reused = false;
    }
}
