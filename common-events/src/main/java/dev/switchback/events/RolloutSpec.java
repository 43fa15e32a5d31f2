package dev.switchback.events;

import java.util.List;

/**
 * How traffic moves to green and how long green is watched before blue is retired.
 *
 * @param strategy    {@code blue-green} (all traffic at once; default when null) or {@code canary} (steps of weight)
 * @param steps       canary steps in order, each a share of traffic for green and a pause; empty for blue-green
 * @param bakeSeconds the bake: how long blue stays warm after green takes all traffic while analysis runs; 0 promotes
 *                    at once; null means 0 (release-api always writes it: {@link #DEFAULT_BAKE_SECONDS} when the service
 *                    spec names none)
 * @param analysis    thresholds green is held to during canary steps and the bake; null uses the defaults
 */
public record RolloutSpec(String strategy, List<CanaryStep> steps, Integer bakeSeconds, AnalysisSpec analysis) {

    /** BLUE_GREEN: all traffic moves at once. */
    public static final String BLUE_GREEN = "blue-green";
    /** CANARY: traffic moves in steps of weight. */
    public static final String CANARY = "canary";
    /** DEFAULT_BAKE_SECONDS: the bake of a service whose spec names none: five minutes of blue kept warm. */
    public static final int DEFAULT_BAKE_SECONDS = 300;

    /** No rollout: what a release that moves no traffic (a contract release) carries: blue-green, no bake. */
    public static RolloutSpec none() {
        return new RolloutSpec(BLUE_GREEN, List.of(), 0, null);
    }

    /** Whether traffic moves in steps. */
    public boolean isCanary() {
        return CANARY.equals(strategy) && steps != null && !steps.isEmpty();
    }

    /** The bake in seconds, 0 when none. */
    public int bake() {
        return bakeSeconds == null ? 0 : bakeSeconds;
    }

    /** The analysis settings, with defaults for what is not given. */
    public AnalysisSpec analysisOrDefault() {
        return AnalysisSpec.withDefaults(analysis);
    }

    /** The total of the canary pauses in seconds. */
    public int canarySeconds() {
        return isCanary() ? steps.stream().mapToInt(CanaryStep::pauseSeconds).sum() : 0;
    }

    /**
     * One canary step.
     *
     * @param weight       share of new requests green gets, 1..99
     * @param pauseSeconds how long the step lasts while analysis runs, before the next step
     */
    public record CanaryStep(int weight, int pauseSeconds) {
    }
}
