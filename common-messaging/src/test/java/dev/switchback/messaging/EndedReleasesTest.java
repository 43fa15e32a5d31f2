package dev.switchback.messaging;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A release ended once stays ended, and one never ended is not. */
class EndedReleasesTest {

    private static EndedReleases ended;
    private static TestDatabase database;

    @BeforeAll
    static void setUp() {
        database = TestDatabase.create("messaging_ended");
        ended = new EndedReleases(database);
    }

    @Test
    void shouldRememberAnEndedReleaseAndAcceptItsEndTwice() {
        String release = UUID.randomUUID().toString();
        database.inTransaction(() -> ended.record(release, "watchdog: deadline passed"));
        database.inTransaction(() -> ended.record(release, "cancelled"));

        assertThat(ended.isEnded(release)).isTrue();
        assertThat(ended.isEnded(UUID.randomUUID().toString())).isFalse();
    }
}
