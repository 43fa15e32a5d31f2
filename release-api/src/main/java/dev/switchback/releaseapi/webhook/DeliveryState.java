package dev.switchback.releaseapi.webhook;

import java.time.Duration;

/**
 * Where one delivery of one event to one subscription stands. PENDING → SENDING (claimed by one replica, with a
 * lease) → DELIVERED on a 2xx, back to PENDING after a failed attempt while attempts remain, FAILED after the last.
 * A SENDING row whose lease ran out (its replica died mid-send) is claimed again: at-least-once, the receiver
 * de-duplicates on {@code X-Switchback-Delivery}.
 */
public enum DeliveryState {
    /** PENDING: due at its next attempt time. */
    PENDING,
    /** SENDING: claimed by one replica until its lease ends. */
    SENDING,
    /** DELIVERED: a receiver answered 2xx. */
    DELIVERED,
    /** FAILED: every attempt failed; nothing more is sent. */
    FAILED;

    /** The state after an attempt (the {@code attempts}-th) answered as given. */
    public static DeliveryState afterAttempt(boolean succeeded, int attempts, int maxAttempts) {
        if (succeeded) {
            return DELIVERED;
        }
        return attempts >= maxAttempts ? FAILED : PENDING;
    }

    /**
     * How long to wait after the {@code attempts}-th failed attempt: the initial delay doubled each time, capped. No
     * jitter: deliveries of different events are already spread by when their events happened.
     */
    public static Duration backoff(int attempts, Duration initial, Duration max) {
        int doublings = Math.max(0, Math.min(attempts - 1, 30));
        long millis = initial.toMillis() << doublings;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
