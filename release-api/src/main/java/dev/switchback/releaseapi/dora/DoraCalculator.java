package dev.switchback.releaseapi.dora;

import dev.switchback.events.EventType;
import dev.switchback.releaseapi.release.Phase;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.ReleaseStep;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes the DORA figures of one service in one environment from its releases and their histories, as recorded from
 * the pipeline's events (each step at the time of the event that carried it). Plain code over the stored facts, so a
 * unit test can walk every case; it reads nothing itself.
 *
 * <p>A cutover is a release whose traffic moved to green in the window: it went LIVE, or a canary step gave green a
 * share. A contract release moves no traffic and is none. A change failure is a cutover that was rolled back (or is
 * rolling back) or failed afterwards; a release failing before traffic moved is not one: users never met it.
 */
public final class DoraCalculator {

    private static final String CANARY_STEP = EventType.TRAFFIC_CANARY_STEP_STARTED.type();
    private static final String ROLLBACK_COMPLETED = EventType.TRAFFIC_ROLLBACK_COMPLETED.type();
    private static final double SECONDS_PER_DAY = 86_400.0;

    private DoraCalculator() {
    }

    /**
     * The figures of one service and environment over {@code [from, to)}.
     *
     * @param releases the releases of that service and environment that changed in the window
     * @param steps    each release's history, by release id, in order
     */
    public static DoraFigures compute(String service, String environment, List<Release> releases,
                                      Map<java.util.UUID, List<ReleaseStep>> steps, Instant from, Instant to) {
        int cutovers = 0;
        int live = 0;
        int rolledBack = 0;
        int rollingBack = 0;
        int failedAfterCutover = 0;
        int failedBeforeCutover = 0;
        List<Duration> leadTimes = new ArrayList<>();
        List<Duration> restores = new ArrayList<>();
        for (Release release : releases) {
            if (release.contractRelease) {
                continue;
            }
            List<ReleaseStep> history = steps.getOrDefault(release.id, List.of());
            Optional<Instant> cutover = cutoverAt(release, history);
            if (cutover.isEmpty()) {
                if (release.phase == Phase.FAILED && within(release.updatedAt, from, to)) {
                    failedBeforeCutover++;
                }
                continue;
            }
            if (!within(cutover.get(), from, to)) {
                continue;
            }
            cutovers++;
            switch (release.phase) {
                case LIVE -> {
                    live++;
                    if (release.commitTime != null && release.liveAt != null) {
                        leadTimes.add(Duration.between(release.commitTime, release.liveAt));
                    }
                }
                case ROLLED_BACK -> {
                    rolledBack++;
                    timeToRestore(history, cutover.get()).ifPresent(restores::add);
                }
                case ROLLING_BACK -> rollingBack++;
                case FAILED -> failedAfterCutover++;
                default -> {
                    // SWITCHING: a canary share moved and the release goes on; neither a failure nor done.
                }
            }
        }
        int failures = rolledBack + rollingBack + failedAfterCutover;
        double days = Duration.between(from, to).toMillis() / 1000.0 / SECONDS_PER_DAY;
        return new DoraFigures(service, environment,
                new DoraFigures.Frequency(cutovers, cutovers / days),
                durations(leadTimes),
                new DoraFigures.FailureRate(cutovers, failures, cutovers == 0 ? null : (double) failures / cutovers),
                durations(restores),
                new DoraFigures.Counts(cutovers, live, rolledBack, rollingBack, failedAfterCutover, failedBeforeCutover,
                        leadTimes.size()));
    }

    /** When traffic first moved to green: the first canary share, or the cutover to LIVE; empty if it never moved. */
    static Optional<Instant> cutoverAt(Release release, List<ReleaseStep> history) {
        Optional<Instant> canary = history.stream()
                .filter(s -> CANARY_STEP.equals(s.eventType) && s.phase == Phase.SWITCHING)
                .map(s -> s.at).findFirst();
        if (canary.isPresent()) {
            return canary;
        }
        return Optional.ofNullable(release.liveAt);
    }

    /**
     * From the failing signal (the first step after the cutover that put the release into rollback: analysis failing,
     * an operator's or the watchdog's request) to the switcher reporting traffic back on blue.
     */
    static Optional<Duration> timeToRestore(List<ReleaseStep> history, Instant cutover) {
        Optional<ReleaseStep> restored = history.stream()
                .filter(s -> ROLLBACK_COMPLETED.equals(s.eventType) && s.phase == Phase.ROLLED_BACK)
                .reduce((first, second) -> second);
        if (restored.isEmpty()) {
            return Optional.empty();
        }
        return history.stream()
                .filter(s -> s.phase == Phase.ROLLING_BACK || s.phase == Phase.ROLLED_BACK)
                .filter(s -> !s.at.isBefore(cutover))
                .findFirst()
                .map(signal -> Duration.between(signal.at, restored.get().at));
    }

    private static boolean within(Instant at, Instant from, Instant to) {
        return at != null && !at.isBefore(from) && at.isBefore(to);
    }

    private static DoraFigures.Durations durations(List<Duration> measured) {
        if (measured.isEmpty()) {
            return new DoraFigures.Durations(0, null, null, null);
        }
        List<Double> seconds = measured.stream().map(d -> d.toMillis() / 1000.0).sorted().toList();
        int n = seconds.size();
        double median = n % 2 == 1 ? seconds.get(n / 2) : (seconds.get(n / 2 - 1) + seconds.get(n / 2)) / 2;
        double mean = seconds.stream().mapToDouble(Double::doubleValue).sum() / n;
        return new DoraFigures.Durations(n, median, mean, seconds.get(n - 1));
    }
}
