package dev.switchback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.EventCodec;
import dev.switchback.infra.suite.Suite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What stood behind a request the router did not answer in time, looked at on the spot: the route the switcher says
 * it serves, whether that endpoint answers when asked directly, the router port's sockets (a listener's Recv-Q counts
 * connections nobody accepted) and where the switcher's event loops were. A timeout alone does not say which of them
 * held the request.
 */
final class RouterLook implements Supplier<String> {

    private final Suite suite;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    RouterLook(Suite suite) {
        this.suite = suite;
    }

    @Override
    public String get() {
        List<String> seen = new ArrayList<>();
        try {
            JsonNode routes = EventCodec.mapper().readTree(suite.request(suite.config().url("traffic-switcher")
                    + "/routes", "GET", null).body());
            for (JsonNode route : routes) {
                String endpoint = route.path("endpoint").asText();
                seen.add("route " + route.path("route").asText() + " -> " + endpoint + " " + direct(endpoint));
            }
        } catch (IOException | RuntimeException e) {
            seen.add("routes: " + e.getMessage());
        }
        seen.add("sockets: " + run("ss", "-tanH", "( sport = :" + suite.config().routerPort() + " )").replace('\n', '|'));
        seen.add("event loops: " + eventLoops());
        return String.join("; ", seen);
    }

    private String direct(String endpoint) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(endpoint + "/version"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return "answers " + answer.statusCode() + " directly in " + (System.nanoTime() - start) / 1_000_000 + " ms";
        } catch (IOException e) {
            return "directly: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "directly: interrupted";
        }
    }

    /** The top frames of the switcher's Vert.x event loops, from a thread dump (whole dump kept in the suite's home). */
    private String eventLoops() {
        try {
            long pid = Long.parseLong(Files.readString(suite.config().home().resolve("traffic-switcher.pid")).trim());
            String dump = run("jstack", Long.toString(pid));
            Path file = suite.config().home().resolve("switcher-" + System.currentTimeMillis() + ".jstack");
            Files.writeString(file, dump);
            List<String> loops = new ArrayList<>();
            String[] lines = dump.split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].startsWith("\"vert.x-eventloop-thread")) {
                    String name = lines[i].substring(1, lines[i].indexOf('"', 1));
                    String top = i + 2 < lines.length ? lines[i + 2].strip() : "";
                    loops.add(name + " " + top);
                }
            }
            return String.join(", ", loops);
        } catch (IOException | RuntimeException e) {
            return e.toString();
        }
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).strip();
            process.waitFor(5, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return command[0] + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return command[0] + ": interrupted";
        }
    }
}
