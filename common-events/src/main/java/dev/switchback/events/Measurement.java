package dev.switchback.events;

/**
 * What analysis measured of green over some time, and what it made of it.
 *
 * @param endpoint   green's address
 * @param requests   requests green answered or failed
 * @param errors     of them, answered 5xx or not at all
 * @param errorRate  errors / requests; 0 with no requests
 * @param p99Millis  99th percentile latency in milliseconds (bucket bound, within 20 %)
 * @param verdict    {@code pass}, {@code fail} or {@code inconclusive}
 * @param reason     why the verdict, naming the threshold
 */
public record Measurement(String endpoint, long requests, long errors, double errorRate, double p99Millis,
                          String verdict, String reason) {

    /** PASS: every threshold held with enough requests. */
    public static final String PASS = "pass";
    /** FAIL: a threshold was breached. */
    public static final String FAIL = "fail";
    /** INCONCLUSIVE: too few requests to judge; never a pass. */
    public static final String INCONCLUSIVE = "inconclusive";
}
