package dev.switchback.bench;

/** One named benchmark of {@code ./suite bench}: runs against the running suite and returns what it measured. */
public interface Benchmark {

    /** name: what {@code ./suite bench NAME} calls it. */
    String name();

    /** title: one line for the results table. */
    String title();

    /** Runs with the sizes it reads from {@code params}; bounded in count and time, loopback only. */
    Outcome run(Bench bench, Params params) throws Exception;

    /**
     * What a run measured.
     *
     * @param figures figures: the measured quantities
     * @param notes   notes: what the run found limiting or worth saying
     */
    record Outcome(java.util.List<Figure> figures, java.util.List<String> notes) {
    }
}
