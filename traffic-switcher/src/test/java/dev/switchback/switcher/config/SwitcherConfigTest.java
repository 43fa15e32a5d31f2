package dev.switchback.switcher.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings under {@code switchback.switcher}, with the names they had under {@code switchback.router} still read. */
class SwitcherConfigTest {

    @Test
    void shouldReadTheDefaultsWhenNothingIsSet() {
        SwitcherConfig config = read(Map.of());

        assertThat(config.bindHost()).isEqualTo("127.0.0.1");
        assertThat(config.healthTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.analysisTick()).isEqualTo(Duration.ofMillis(20));
        assertThat(config.verifyDeadline()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.verifyInterval()).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void shouldStillReadTheOldNamesOfTheSettings() {
        SwitcherConfig config = read(Map.of("switchback.router.bind-host", "0.0.0.0",
                "switchback.router.health-timeout", "3s", "switchback.router.analysis-tick", "250ms"));

        assertThat(config.bindHost()).isEqualTo("0.0.0.0");
        assertThat(config.healthTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.analysisTick()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void shouldStillReadTheOldEnvironmentVariableOfTheBindHost() {
        SmallRyeConfig config = builder()
                .withSources(new EnvConfigSource(Map.of("SWITCHBACK_ROUTER_BIND_HOST", "0.0.0.0"), 300))
                .build();

        assertThat(config.getConfigMapping(SwitcherConfig.class).bindHost()).isEqualTo("0.0.0.0");
    }

    @Test
    void shouldPreferTheNewNameWhenBothAreSet() {
        SwitcherConfig config = read(Map.of("switchback.router.bind-host", "0.0.0.0",
                "switchback.switcher.bind-host", "10.0.0.7"));

        assertThat(config.bindHost()).isEqualTo("10.0.0.7");
    }

    private static SwitcherConfig read(Map<String, String> properties) {
        return builder().withSources(new PropertiesConfigSource(properties, "test", 100)).build()
                .getConfigMapping(SwitcherConfig.class);
    }

    /** As Quarkus builds the configuration: expressions expanded, durations such as "2s" converted. */
    private static SmallRyeConfigBuilder builder() {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(SwitcherConfig.class);
    }
}
