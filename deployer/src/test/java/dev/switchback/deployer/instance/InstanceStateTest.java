package dev.switchback.deployer.instance;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Stream;

import static dev.switchback.deployer.instance.InstanceState.DRAINING;
import static dev.switchback.deployer.instance.InstanceState.ISOLATED;
import static dev.switchback.deployer.instance.InstanceState.LIVE;
import static dev.switchback.deployer.instance.InstanceState.READY;
import static dev.switchback.deployer.instance.InstanceState.RETIRED;
import static dev.switchback.deployer.instance.InstanceState.STARTING;
import static dev.switchback.deployer.instance.InstanceState.WARM;
import static org.assertj.core.api.Assertions.assertThat;

/** Every pair of instance states, allowed or refused, against the table written out here once more by hand. */
class InstanceStateTest {

    /** ALLOWED: the changes an instance makes, as "FROM>TO"; every other pair, a state to itself included, is refused. */
    private static final Set<String> ALLOWED = Set.of(
            "STARTING>READY", "STARTING>ISOLATED", "STARTING>RETIRED",
            "READY>LIVE", "READY>ISOLATED", "READY>RETIRED",
            "LIVE>WARM", "LIVE>ISOLATED", "LIVE>RETIRED",
            "WARM>LIVE", "WARM>DRAINING", "WARM>RETIRED",
            "DRAINING>RETIRED",
            "ISOLATED>RETIRED");

    static Stream<Arguments> everyPair() {
        return Arrays.stream(InstanceState.values()).flatMap(from -> Arrays.stream(InstanceState.values())
                .map(to -> Arguments.of(from, to, ALLOWED.contains(from + ">" + to))));
    }

    @ParameterizedTest(name = "{0} -> {1} allowed: {2}")
    @MethodSource("everyPair")
    void shouldAllowOnlyTheChangesOfTheTable(InstanceState from, InstanceState to, boolean allowed) {
        assertThat(from.canBecome(to)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("states")
    void shouldCallBlueOnlyWhatTookTrafficAndRunningAllButRetired(InstanceState state) {
        assertThat(state.isBlue()).isEqualTo(Set.of(LIVE, WARM, DRAINING).contains(state));
        assertThat(state.isRunning()).isEqualTo(state != RETIRED);
        assertThat(Set.of(STARTING, READY, ISOLATED).contains(state)).isEqualTo(state != RETIRED && !state.isBlue());
    }

    static Stream<InstanceState> states() {
        return Arrays.stream(InstanceState.values());
    }

    @org.junit.jupiter.api.Test
    void shouldNeverLeaveRetired() {
        assertThat(Arrays.stream(InstanceState.values()).filter(RETIRED::canBecome)).isEmpty();
    }
}
