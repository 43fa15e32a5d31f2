package dev.switchback.releaseapi.webhook;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A delivery's attempts: delivered on success, retried with doubling waits while attempts remain, then failed. */
class DeliveryStateTest {

    private static final Duration INITIAL = Duration.ofSeconds(5);
    private static final Duration MAX = Duration.ofMinutes(10);

    @Test
    void shouldBeDeliveredWhenAnAttemptSucceedsWhateverCameBefore() {
        assertThat(DeliveryState.afterAttempt(true, 1, 8)).isEqualTo(DeliveryState.DELIVERED);
        assertThat(DeliveryState.afterAttempt(true, 8, 8)).isEqualTo(DeliveryState.DELIVERED);
    }

    @Test
    void shouldRetryAFailedAttemptUntilTheLastAndThenFail() {
        assertThat(DeliveryState.afterAttempt(false, 1, 8)).isEqualTo(DeliveryState.PENDING);
        assertThat(DeliveryState.afterAttempt(false, 7, 8)).isEqualTo(DeliveryState.PENDING);
        assertThat(DeliveryState.afterAttempt(false, 8, 8)).isEqualTo(DeliveryState.FAILED);
    }

    @Test
    void shouldDoubleTheWaitAfterEachFailedAttemptUpToTheMaximum() {
        assertThat(DeliveryState.backoff(1, INITIAL, MAX)).isEqualTo(Duration.ofSeconds(5));
        assertThat(DeliveryState.backoff(2, INITIAL, MAX)).isEqualTo(Duration.ofSeconds(10));
        assertThat(DeliveryState.backoff(4, INITIAL, MAX)).isEqualTo(Duration.ofSeconds(40));
        assertThat(DeliveryState.backoff(8, INITIAL, MAX)).isEqualTo(MAX);
        assertThat(DeliveryState.backoff(200, INITIAL, MAX)).isEqualTo(MAX);
    }
}
