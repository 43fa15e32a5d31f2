package dev.switchback.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.switchback.events.EventCodec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes each run to {@code <dir>/<benchmark>.json} and renders every result in the directory as markdown between
 * the markers of {@code BENCHMARKS.md}, so the committed tables are exactly the committed JSON.
 */
public final class Report {

    /** START, END: the lines between which BENCHMARKS.md holds the generated tables. */
    static final String START = "<!-- bench:results:start (written by ./suite bench; edit the JSON's run, not this) -->";
    static final String END = "<!-- bench:results:end -->";

    /** SUMMARY_START, SUMMARY_END: the lines between which BENCHMARKS.md holds the generated summary. */
    static final String SUMMARY_START = "<!-- bench:summary:start (written by ./suite bench) -->";
    static final String SUMMARY_END = "<!-- bench:summary:end -->";

    /** KEY: the figures the summary brings up, per benchmark (a prefix matches every router's figure). */
    private static final List<String[]> KEY = List.of(
            new String[] {"overhead", "overhead", "p50 ≤ 5× floor"},
            new String[] {"overhead", "kafka floor", ""},
            new String[] {"overhead", "overhead / floor (medians)", "≤ 5×"},
            new String[] {"rollback", ": failing green, cutover → rollback-completed", ""},
            new String[] {"rollback", ": green's failed requests at the verdict", "≈ minRequests"},
            new String[] {"rollback", ": failed requests per failing release", "≈ minRequests"},
            new String[] {"rollback", ": failed POSTs per failing release", ""},
            new String[] {"rollback", ": POST /rollback → rollback-completed", ""},
            new String[] {"api", "POST /releases", ""},
            new String[] {"api", "POST /releases latency", ""},
            new String[] {"api", "GET /releases/{id}", ""},
            new String[] {"api", "GET /releases/{id} latency", ""},
            new String[] {"api", "events end to end", ""},
            new String[] {"fleet", "releases LIVE (promoted)", "all"},
            new String[] {"fleet", "events missing", "0"},
            new String[] {"fleet", "overhead", "p99 ≤ 3 s"},
            new String[] {"footprint", "idle RSS, four services [A]", ""},
            new String[] {"footprint", "idle RSS, four services [B]", ""});

    private static final ObjectMapper JSON = EventCodec.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

    private Report() {
    }

    public static Path write(Path dir, Result result) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(result.benchmark() + ".json");
        Files.writeString(file, JSON.writeValueAsString(result) + "\n");
        return file;
    }

    public static Result read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Result.class);
    }

    /** Every result in the directory, by name. */
    public static List<Result> readAll(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Result> results = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                results.add(read(file));
            }
        }
        return results;
    }

    /**
     * Replaces the generated parts of the markdown file: the summary (put under the title the first time) and the
     * tables (appended at its end the first time).
     */
    public static void render(Path markdown, List<Result> results) throws IOException {
        String text = Files.exists(markdown) ? Files.readString(markdown) : "# Benchmarks\n";
        text = replace(text, SUMMARY_START, SUMMARY_END, summary(results), true);
        text = replace(text, START, END, markdown(results), false);
        Files.writeString(markdown, text);
    }

    private static String replace(String text, String startMarker, String endMarker, String body, boolean top) {
        String block = startMarker + "\n" + body + endMarker;
        int start = text.indexOf(startMarker);
        int end = text.indexOf(endMarker);
        if (start >= 0 && end > start) {
            return text.substring(0, start) + block + text.substring(end + endMarker.length());
        }
        if (top) {
            int afterTitle = text.indexOf('\n') + 1;
            return text.substring(0, afterTitle) + "\n" + block + "\n" + text.substring(afterTitle);
        }
        return text + "\n## Results of `./suite bench`\n\n" + block + "\n";
    }

    /** The key figures of every result, one row each, with the command that reproduces it. */
    static String summary(List<Result> results) {
        StringBuilder out = new StringBuilder("\n| benchmark | figure | median | p99 | unit | goal | run | command |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (String[] key : KEY) {
            for (Result result : results) {
                if (!result.benchmark().equals(key[0])) {
                    continue;
                }
                for (Figure figure : result.figures()) {
                    boolean match = key[1].startsWith(":") ? figure.name().endsWith(key[1]) : figure.name().equals(key[1]);
                    if (match) {
                        Stats s = figure.stats();
                        out.append("| ").append(result.benchmark()).append(" | ").append(figure.name()).append(" | ")
                                .append(number(s.median())).append(" | ").append(s.n() > 1 ? number(s.p99()) : "")
                                .append(" | ").append(figure.unit()).append(" | ").append(key[2]).append(" | ")
                                .append(result.machine().get("date")).append(", load ")
                                .append(result.machine().get("loadBefore")).append(" | `").append(result.command())
                                .append("` |\n");
                    }
                }
            }
        }
        return out.append('\n').toString();
    }

    static String markdown(List<Result> results) {
        StringBuilder out = new StringBuilder();
        for (Result result : results) {
            Map<String, Object> m = result.machine();
            out.append("\n### ").append(result.title()).append(" (`").append(result.benchmark()).append("`)\n\n");
            out.append("`").append(result.command()).append("` — ").append(m.get("date")).append(", commit ")
                    .append(m.get("commit")).append(", ").append(m.get("cores")).append(" cores, ")
                    .append(m.get("ramGiB")).append(" GiB, ").append(m.get("cpu")).append(", ").append(m.get("java"))
                    .append("; load average ").append(m.get("loadBefore")).append(" before, ")
                    .append(m.get("loadAfter")).append(" after; ").append(m.get("seconds")).append(" s.");
            if (!result.params().isEmpty()) {
                out.append(" Sizes: ");
                List<String> sizes = new ArrayList<>();
                result.params().forEach((k, v) -> sizes.add(k + "=" + v));
                out.append(String.join(", ", sizes)).append('.');
            }
            out.append("\n\n| figure | unit | n | median | p99 | min | max | how |\n|---|---|---|---|---|---|---|---|\n");
            for (Figure figure : result.figures()) {
                Stats s = figure.stats();
                out.append("| ").append(figure.name()).append(" | ").append(figure.unit()).append(" | ").append(s.n())
                        .append(" | ").append(number(s.median())).append(" | ").append(number(s.p99()))
                        .append(" | ").append(number(s.min())).append(" | ").append(number(s.max()))
                        .append(" | ").append(figure.note()).append(" |\n");
            }
            for (String note : result.notes()) {
                out.append("\n- ").append(note);
            }
            if (!result.notes().isEmpty()) {
                out.append('\n');
            }
        }
        return out.append('\n').toString();
    }

    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e9) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        double magnitude = Math.abs(value);
        return String.format(Locale.ROOT, magnitude >= 100 ? "%,.0f" : magnitude >= 10 ? "%.1f" : "%.2f", value);
    }
}
