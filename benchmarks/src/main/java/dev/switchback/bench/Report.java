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

    /** Replaces the generated part of the markdown file (appended at its end the first time). */
    public static void render(Path markdown, List<Result> results) throws IOException {
        String text = Files.exists(markdown) ? Files.readString(markdown) : "# Benchmarks\n";
        String block = START + "\n" + markdown(results) + END;
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        if (start >= 0 && end > start) {
            text = text.substring(0, start) + block + text.substring(end + END.length());
        } else {
            text = text + "\n## Results of `./suite bench`\n\n" + block + "\n";
        }
        Files.writeString(markdown, text);
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
