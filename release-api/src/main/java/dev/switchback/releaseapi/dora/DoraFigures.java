package dev.switchback.releaseapi.dora;

/**
 * The four DORA figures of one service in one environment over a window, with the counts they come from.
 *
 * @param service             the service
 * @param environment         the environment
 * @param deploymentFrequency how often traffic moved to a new version
 * @param leadTimeForChanges  from a change's commit time to its release going LIVE
 * @param changeFailureRate   the share of cutovers that were rolled back or failed after traffic moved
 * @param timeToRestore       from the failing signal to traffic back on a healthy color
 * @param counts              what the figures were computed from
 */
public record DoraFigures(String service, String environment, Frequency deploymentFrequency, Durations leadTimeForChanges,
                          FailureRate changeFailureRate, Durations timeToRestore, Counts counts) {

    /**
     * Deployment frequency.
     *
     * @param deployments cutovers in the window: releases whose traffic moved to green (all of it, or a canary share)
     * @param perDay      deployments divided by the window's length in days
     */
    public record Frequency(int deployments, double perDay) {
    }

    /**
     * Durations measured on some releases of the window, in seconds; the statistics are null without samples.
     *
     * @param samples       how many releases were measured
     * @param medianSeconds the median
     * @param meanSeconds   the mean
     * @param maxSeconds    the longest
     */
    public record Durations(int samples, Double medianSeconds, Double meanSeconds, Double maxSeconds) {
    }

    /**
     * Change failure rate.
     *
     * @param cutovers the cutovers of the window
     * @param failures those rolled back (or rolling back) or failed after traffic moved
     * @param rate     failures over cutovers; null without cutovers
     */
    public record FailureRate(int cutovers, int failures, Double rate) {
    }

    /**
     * What the figures were computed from.
     *
     * @param cutovers            releases whose traffic moved to green in the window
     * @param live                of those, still LIVE (baking or promoted)
     * @param rolledBack          of those, ROLLED_BACK
     * @param rollingBack         of those, ROLLING_BACK now: failed, not yet restored
     * @param failedAfterCutover  of those, FAILED after a canary share of traffic had moved
     * @param failedBeforeCutover releases that ended FAILED in the window before traffic moved: no change failure
     * @param withCommitTime      live cutovers whose request carried a commit time: the lead time's samples
     */
    public record Counts(int cutovers, int live, int rolledBack, int rollingBack, int failedAfterCutover,
                         int failedBeforeCutover, int withCommitTime) {
    }
}
