package dev.switchback.switcher.router;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An endpoint that dies in the middle of its answer: it sends the head and part of the body, then closes the
 * connection. With a length, the body falls short of it; chunked, the last chunk never comes. A proxy must let its
 * client see that the answer broke off, never pass the part on as a whole answer.
 */
final class TruncatingBackend implements AutoCloseable {

    /** SENT: the part of the body that arrives before the connection closes. */
    static final String SENT = "the first part";

    private final ServerSocket server;
    private final boolean chunked;
    private final Thread acceptor;

    TruncatingBackend(boolean chunked) {
        this.chunked = chunked;
        try {
            server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::serve, "truncating-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                readHead(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                String head = chunked
                        ? "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + Integer.toHexString(SENT.length()) + "\r\n" + SENT + "\r\n"
                        : "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n" + SENT;
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // Long enough for the proxy to pass the head and the part on, then the connection goes.
                Thread.sleep(200);
            } catch (IOException e) {
                // closed, or the proxy went away first
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
