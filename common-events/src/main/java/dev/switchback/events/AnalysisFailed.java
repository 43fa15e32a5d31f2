package dev.switchback.events;

/**
 * Analysis found green wanting (a threshold breached, or too little data when the bake or a step ended): traffic is
 * going back to blue. Carries the measured values that decided it.
 *
 * @param release     which release this is about
 * @param measurement what was measured over the failing interval (or the whole window, when inconclusive)
 * @param thresholds  the thresholds green was held to
 */
public record AnalysisFailed(ReleaseRef release, Measurement measurement, AnalysisSpec thresholds)
        implements SwitchbackEvent {
}
