package dev.switchback.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A benchmark's sizes, each read from a system property {@code bench.<name>} with the benchmark's default; every
 * value read is kept, so the results say what the run used.
 */
public final class Params {

    private final Map<String, Object> used = new LinkedHashMap<>();

    public int integer(String name, int fallback) {
        String value = System.getProperty("bench." + name);
        int chosen = value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
        used.put(name, chosen);
        return chosen;
    }

    public String text(String name, String fallback) {
        String value = System.getProperty("bench." + name);
        String chosen = value == null || value.isBlank() ? fallback : value.trim();
        used.put(name, chosen);
        return chosen;
    }

    /** What was read, in order (for the results table). */
    public Map<String, Object> ordered() {
        return new LinkedHashMap<>(used);
    }
}
