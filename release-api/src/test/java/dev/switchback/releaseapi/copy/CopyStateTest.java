package dev.switchback.releaseapi.copy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The copy's transition table, walked: forward only, and nothing leaves RETIRED or FAILED. */
class CopyStateTest {

    @Test
    void shouldMoveForwardOnlyAndEndInRetiredOrFailed() {
        assertThat(CopyState.PREPARING.canBecome(CopyState.RUNNING)).isTrue();
        assertThat(CopyState.PREPARING.canBecome(CopyState.FAILED)).isTrue();
        assertThat(CopyState.PREPARING.canBecome(CopyState.RETIRING)).isTrue();
        assertThat(CopyState.RUNNING.canBecome(CopyState.RETIRING)).isTrue();
        assertThat(CopyState.RUNNING.canBecome(CopyState.RETIRED)).as("its database dropped without the deployer's word").isTrue();
        assertThat(CopyState.RUNNING.canBecome(CopyState.PREPARING)).isFalse();
        assertThat(CopyState.RUNNING.canBecome(CopyState.FAILED)).as("a healthy copy is retired, never failed").isFalse();
        assertThat(CopyState.RETIRING.canBecome(CopyState.RUNNING)).as("a late copy-started").isFalse();
        assertThat(CopyState.RETIRING.canBecome(CopyState.RETIRED)).isTrue();
        for (CopyState next : CopyState.values()) {
            assertThat(CopyState.RETIRED.canBecome(next)).as("RETIRED to " + next).isFalse();
            assertThat(CopyState.FAILED.canBecome(next)).as("FAILED to " + next).isFalse();
        }
    }

    @Test
    void shouldLetOnlyACopyBeingMadeOrRunningBeRetired() {
        assertThat(CopyState.PREPARING.isActive()).isTrue();
        assertThat(CopyState.RUNNING.isActive()).isTrue();
        assertThat(CopyState.RETIRING.isActive()).isFalse();
        assertThat(CopyState.RETIRED.isActive()).isFalse();
        assertThat(CopyState.FAILED.isActive()).isFalse();
    }
}
