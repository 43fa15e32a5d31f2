package dev.switchback.bench;

import java.util.List;
import java.util.Map;

/**
 * What one benchmark run measured and under which conditions.
 *
 * @param benchmark benchmark: its name on the command line
 * @param title     title: a line for people
 * @param command   command: what reproduces it
 * @param machine   machine: where and when it ran (cores, RAM, CPU, commit, load before and after)
 * @param params    params: the sizes it ran with (releases, clients, seconds…)
 * @param figures   figures: what it measured
 * @param notes     notes: what the figures mean or what limited them, as found in the run
 */
public record Result(String benchmark, String title, String command, Map<String, Object> machine,
                     Map<String, Object> params, List<Figure> figures, List<String> notes) {

    /** The figure of that name; fails loudly when the benchmark did not record it. */
    public Figure figure(String name) {
        return figures.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(benchmark + " has no figure " + name));
    }
}
