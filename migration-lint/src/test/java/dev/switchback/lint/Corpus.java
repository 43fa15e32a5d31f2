package dev.switchback.lint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The statement corpus shared by the rule tests and the agreement test ({@code lint-corpus.sql}): migrations with
 * the rules each must break in an expand release, and in a contract release where given.
 */
final class Corpus {

    /**
     * One migration of the corpus.
     *
     * @param line      line: where its header is in the corpus file
     * @param expand    expand: the rules it breaks in an expand release (empty: allowed)
     * @param contract  contract: the rules it breaks in a contract release, or null where the corpus does not say
     * @param neighbour neighbour: the rule it is the allowed neighbour of, or null
     * @param backfill  backfill: whether it is a backfill migration
     * @param sql       sql: the migration
     */
    record Entry(int line, Set<String> expand, Set<String> contract, String neighbour, boolean backfill, String sql) {

        @Override
        public String toString() {
            return "line " + line + ": " + sql.replaceAll("\\s+", " ");
        }
    }

    private static List<Entry> entries;

    private Corpus() {
    }

    static synchronized List<Entry> entries() {
        if (entries == null) {
            entries = read();
        }
        return entries;
    }

    private static List<Entry> read() {
        String text;
        try (InputStream in = Corpus.class.getResourceAsStream("/lint-corpus.sql")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Entry> read = new ArrayList<>();
        String header = null;
        int headerLine = 0;
        StringBuilder sql = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i <= lines.length; i++) {
            String line = i < lines.length ? lines[i] : "=== end";
            if (line.startsWith("# ") || line.equals("#")) {
                continue;
            }
            if (line.startsWith("===")) {
                if (header != null) {
                    read.add(entry(headerLine, header, sql.toString().strip()));
                }
                header = line.substring(3).strip();
                headerLine = i + 1;
                sql.setLength(0);
            } else if (header != null) {
                sql.append(line).append('\n');
            }
        }
        return List.copyOf(read);
    }

    private static Entry entry(int line, String header, String sql) {
        String[] parts = header.split(";");
        Set<String> contract = null;
        String neighbour = null;
        boolean backfill = false;
        for (int i = 1; i < parts.length; i++) {
            String option = parts[i].strip();
            if (option.startsWith("contract=")) {
                contract = rules(option.substring("contract=".length()));
            } else if (option.startsWith("neighbour=")) {
                neighbour = option.substring("neighbour=".length()).strip();
            } else if (option.equals("backfill")) {
                backfill = true;
            } else {
                throw new IllegalArgumentException("corpus line " + line + ": unknown option " + option);
            }
        }
        return new Entry(line, rules(parts[0]), contract, neighbour, backfill, sql);
    }

    private static Set<String> rules(String list) {
        String trimmed = list.strip();
        if (trimmed.equals("allow")) {
            return Set.of();
        }
        return new TreeSet<>(Arrays.stream(trimmed.split(",")).map(String::strip).toList());
    }
}
