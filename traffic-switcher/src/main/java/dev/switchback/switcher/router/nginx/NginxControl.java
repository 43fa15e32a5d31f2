package dev.switchback.switcher.router.nginx;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The loopback control server of the router's nginx: what nginx itself says it serves, read after every reload. */
final class NginxControl {

    /** What a control request got: the status (0 when nginx did not answer) and the body. */
    record Answer(int status, String body) {
        static final Answer NONE = new Answer(0, "");
    }

    private NginxControl() {
    }

    /** One GET on the control server, on a fresh connection so it reaches whichever worker accepts it now. */
    static Answer ask(int port, String path) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: control\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = response.indexOf("\r\n\r\n");
            String[] statusLine = response.split(" ", 3);
            if (headersEnd < 0 || statusLine.length < 2) {
                return Answer.NONE;
            }
            return new Answer(Integer.parseInt(statusLine[1]), response.substring(headersEnd + 4));
        } catch (IOException | NumberFormatException e) {
            return Answer.NONE;
        }
    }

    static String describe(Answer answer) {
        return answer.status() == 0 ? "nothing" : answer.status() + " \"" + answer.body().strip() + "\"";
    }
}
