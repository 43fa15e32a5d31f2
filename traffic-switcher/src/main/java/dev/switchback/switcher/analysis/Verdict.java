package dev.switchback.switcher.analysis;

import dev.switchback.events.Measurement;

/** Analysis's verdict on one interval: pass, fail, or inconclusive (too little data, never a pass). */
public enum Verdict {
    /** PASS: green met the thresholds over enough requests. */
    PASS,
    /** FAIL: green's error rate or latency broke a threshold. */
    FAIL,
    /** INCONCLUSIVE: too few requests to judge, or no data at all. */
    INCONCLUSIVE;

    /** The verdict a measurement carries; null for no measurement (no interval ended). */
    public static Verdict of(Measurement measurement) {
        if (measurement == null) {
            return null;
        }
        return switch (measurement.verdict()) {
            case Measurement.PASS -> PASS;
            case Measurement.FAIL -> FAIL;
            default -> INCONCLUSIVE;
        };
    }
}
