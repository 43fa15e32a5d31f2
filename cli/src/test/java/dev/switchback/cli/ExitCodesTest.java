package dev.switchback.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The exit codes CI reads: one per outcome, all distinct. */
class ExitCodesTest {

    @Test
    void shouldGiveEachEndOfAReleaseItsOwnCode() {
        assertThat(ExitCodes.ofPhase("LIVE")).isEqualTo(0);
        assertThat(ExitCodes.ofPhase("ROLLED_BACK")).isEqualTo(3);
        assertThat(ExitCodes.ofPhase("FAILED")).isEqualTo(4);
        assertThat(ExitCodes.ofPhase("CANCELLED")).isEqualTo(5);
        assertThat(ExitCodes.ofPhase("MIGRATING")).as("still running").isEqualTo(0);
    }

    @Test
    void shouldTellRefusalsFromDenialsFromOtherErrors() {
        assertThat(ExitCodes.ofStatus(422)).isEqualTo(ExitCodes.REFUSED);
        assertThat(ExitCodes.ofStatus(401)).isEqualTo(ExitCodes.DENIED);
        assertThat(ExitCodes.ofStatus(403)).isEqualTo(ExitCodes.DENIED);
        assertThat(ExitCodes.ofStatus(409)).isEqualTo(ExitCodes.ERROR);
        assertThat(ExitCodes.ofStatus(404)).isEqualTo(ExitCodes.ERROR);
        assertThat(ExitCodes.ofStatus(500)).isEqualTo(ExitCodes.ERROR);
    }

    @Test
    void shouldKeepEveryCodeDistinct() {
        assertThat(java.util.List.of(ExitCodes.OK, ExitCodes.ERROR, ExitCodes.USAGE, ExitCodes.ROLLED_BACK,
                ExitCodes.FAILED, ExitCodes.CANCELLED, ExitCodes.REFUSED, ExitCodes.TIMED_OUT, ExitCodes.DENIED))
                .doesNotHaveDuplicates();
    }
}
