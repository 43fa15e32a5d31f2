package dev.switchback.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Checks which failure mode each version string switches on. */
class VersionTagTest {

    @Test
    void shouldReadFailureModeFromVersionSuffix() {
        assertThat(VersionTag.of("1.1.0")).isEqualTo(VersionTag.NONE);
        assertThat(VersionTag.of("1.1.0-fail")).isEqualTo(VersionTag.FAIL);
        assertThat(VersionTag.of("1.1.0-unhealthy")).isEqualTo(VersionTag.UNHEALTHY);
        assertThat(VersionTag.of("1.1.0-slow")).isEqualTo(VersionTag.SLOW);
        assertThat(VersionTag.of("2.0.0-rc1-slow")).isEqualTo(VersionTag.SLOW);
    }

    @Test
    void shouldIgnoreTagsThatOnlyLookSimilar() {
        assertThat(VersionTag.of("1.1.0-failover")).isEqualTo(VersionTag.NONE);
        assertThat(VersionTag.of("1.1.0-rc1")).isEqualTo(VersionTag.NONE);
        assertThat(VersionTag.of("fail")).isEqualTo(VersionTag.NONE);
    }
}
