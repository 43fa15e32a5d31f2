package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchback.cli.api.ApiClient;
import dev.switchback.cli.api.ApiProblem;
import dev.switchback.cli.api.EventStream;
import dev.switchback.cli.api.Json;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Follows one release on the live stream until it ends, printing each step as it happens. A dropped connection is
 * opened again with {@code Last-Event-ID}; a server that cannot resume sends a snapshot instead, whose history holds
 * whatever was missed, so no outcome is lost either way.
 */
public final class Watcher {

    /** RECONNECT_DELAY_MILLIS: the pause before opening a dropped stream again. */
    private static final long RECONNECT_DELAY_MILLIS = 1_000;

    private final ApiClient api;
    private final Output out;
    private final Set<String> printed = new HashSet<>();

    public Watcher(ApiClient api, Output out) {
        this.api = api;
        this.out = out;
    }

    /**
     * Follows the release until it ended (promoted, rolled back, failed, cancelled), or only until it is live.
     *
     * @param timeout how long to follow; null for as long as it takes
     * @return the release's last status
     * @throws TimedOut when the timeout passed first
     */
    public JsonNode follow(String id, Duration timeout, boolean untilLive) throws InterruptedException {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        String lastEventId = null;
        JsonNode status = null;
        while (true) {
            try (EventStream stream = EventStream.open(api, "?release=" + ApiClient.segment(id), lastEventId)) {
                while (true) {
                    long left = timeout == null ? 60_000 : (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        throw timedOut(timeout, status);
                    }
                    EventStream.Event event = stream.next(left);
                    if (event == null) {
                        continue;
                    }
                    if (event.id() != null) {
                        lastEventId = event.id();
                    }
                    JsonNode data = Json.read(event.data());
                    status = show(event, data, status);
                    if (ended(status, untilLive)) {
                        return status;
                    }
                }
            } catch (EventStream.Ended | ApiClient.Unreachable dropped) {
                if (timeout != null && System.nanoTime() + RECONNECT_DELAY_MILLIS * 1_000_000 > deadline) {
                    throw timedOut(timeout, status);
                }
                Thread.sleep(RECONNECT_DELAY_MILLIS);
            } catch (ApiProblem problem) {
                if (problem.status() / 100 == 5) {
                    Thread.sleep(RECONNECT_DELAY_MILLIS);
                } else {
                    throw problem;
                }
            }
        }
    }

    /** Prints what the event adds and answers the release's status after it. */
    private JsonNode show(EventStream.Event event, JsonNode data, JsonNode before) {
        if ("snapshot".equals(event.name())) {
            JsonNode release = data.path("release");
            ObjectNode document = Json.object().put("type", "snapshot");
            document.set("release", release);
            out.document(document);
            for (JsonNode step : release.path("steps")) {
                printOnce(step.path("at").asText(null), step.path("phase").asText(), step.path("event").asText(),
                        step.path("reason").asText(null));
            }
            return release;
        }
        out.document(data);
        JsonNode release = data.path("release");
        JsonNode step = data.path("step");
        if (step.isObject()) {
            printOnce(step.path("at").asText(null), step.path("phase").asText(), step.path("event").asText(),
                    step.path("reason").asText(null));
        } else {
            printOnce(data.path("time").asText(null), release.path("phase").asText("?"), data.path("type").asText(), null);
        }
        return release.isObject() ? release : before;
    }

    private void printOnce(String at, String phase, String event, String reason) {
        if (printed.add(at + "|" + event + "|" + reason)) {
            out.step(at, phase, event, reason);
        }
    }

    /** Whether nothing more will happen to the release (or, with untilLive, it is live). */
    static boolean ended(JsonNode release, boolean untilLive) {
        if (release == null || !release.isObject()) {
            return false;
        }
        String phase = release.path("phase").asText();
        return switch (phase) {
            case "ROLLED_BACK", "FAILED", "CANCELLED" -> true;
            case "LIVE" -> untilLive || release.hasNonNull("promotedAt");
            default -> false;
        };
    }

    private static TimedOut timedOut(Duration timeout, JsonNode status) {
        return new TimedOut("gave up after " + Durations.format(timeout) + (status == null ? ""
                : "; the release is " + Output.phaseOf(status) + " and goes on without this command"));
    }
}
