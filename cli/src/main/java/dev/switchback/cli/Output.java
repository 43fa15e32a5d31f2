package dev.switchback.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.cli.api.Json;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Where a command prints: lines for people, or one JSON document per line for scripts. */
public final class Output {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final boolean json;
    private final PrintWriter out;

    public Output(boolean json, PrintWriter out) {
        this.json = json;
        this.out = out;
    }

    public boolean json() {
        return json;
    }

    /** Prints the line in text mode only. */
    public void text(String line) {
        if (!json) {
            out.println(line);
            out.flush();
        }
    }

    /** Prints the document in JSON mode only. */
    public void document(JsonNode node) {
        if (json) {
            out.println(Json.write(node));
            out.flush();
        }
    }

    /** One step of a release's history: time, phase after it, the event without its prefix, and why. */
    public void step(String at, String phase, String event, String reason) {
        text(String.format("%s  %-17s %-32s %s", clock(at), phase, shortType(event), reason == null ? "" : reason).stripTrailing());
    }

    /** A release in one line: id, version, phase, reason. */
    public void release(JsonNode release) {
        text(String.format("%s  %s %s/%s  %s%s", release.path("id").asText(), release.path("version").asText(),
                release.path("service").asText(), release.path("environment").asText(), phaseOf(release),
                release.hasNonNull("reason") ? "  " + release.get("reason").asText() : ""));
    }

    /** The phase, with "promoted" or "baking" for a live release. */
    static String phaseOf(JsonNode release) {
        String phase = release.path("phase").asText();
        if ("LIVE".equals(phase)) {
            return release.hasNonNull("promotedAt") ? "LIVE (promoted)" : "LIVE (baking)";
        }
        return phase;
    }

    static String shortType(String type) {
        return type == null ? "" : type.startsWith("dev.switchback.") ? type.substring("dev.switchback.".length()) : type;
    }

    private static String clock(String at) {
        try {
            return at == null ? "--:--:--" : CLOCK.format(Instant.parse(at));
        } catch (RuntimeException e) {
            return at;
        }
    }
}
