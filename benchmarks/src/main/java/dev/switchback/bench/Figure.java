package dev.switchback.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One measured quantity of a benchmark run, with every sample it was computed from.
 *
 * @param name    name: what is measured, e.g. {@code overhead}
 * @param unit    unit: {@code ms}, {@code requests/s}, {@code MiB}, {@code ×} (a ratio), {@code count}
 * @param samples samples: one per release, request, round or process; a single value is one sample
 * @param note    note: how it is computed, in a few words; may be empty
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Figure(String name, String unit, List<Double> samples, String note) {

    public Figure {
        samples = List.copyOf(samples);
    }

    /** A figure of one value. */
    public static Figure single(String name, String unit, double value, String note) {
        return new Figure(name, unit, List.of(value), note);
    }

    /** stats: written beside the samples so a reader of the JSON needs no arithmetic; ignored when read back. */
    @JsonProperty("stats")
    public Stats stats() {
        return Stats.of(samples);
    }
}
