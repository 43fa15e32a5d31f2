package dev.switchback.switcher.route.service;

import dev.switchback.events.RolloutSpec;
import dev.switchback.switcher.analysis.Verdict;
import dev.switchback.switcher.route.CutoverState;
import dev.switchback.switcher.route.service.CutoverProgress.Action;
import dev.switchback.switcher.route.service.CutoverProgress.Decision;
import dev.switchback.switcher.route.service.CutoverProgress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every transition of a cutover's state machine, walked as plain code: no router, database or clock. */
class CutoverProgressTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final RolloutSpec BAKE_60 = new RolloutSpec(RolloutSpec.BLUE_GREEN, List.of(), 60, null);
    private static final RolloutSpec NO_BAKE = new RolloutSpec(RolloutSpec.BLUE_GREEN, List.of(), 0, null);
    private static final RolloutSpec CANARY = new RolloutSpec(RolloutSpec.CANARY,
            List.of(new RolloutSpec.CanaryStep(30, 10), new RolloutSpec.CanaryStep(70, 20)), 60, null);
    private static final RolloutSpec CANARY_NO_BAKE = new RolloutSpec(RolloutSpec.CANARY,
            List.of(new RolloutSpec.CanaryStep(50, 10)), 0, null);

    @Test
    void shouldStartACanaryAtItsFirstStepWhenThereIsABlue() {
        Decision start = CutoverProgress.start(CANARY, true, NOW);

        assertThat(start.action()).isEqualTo(Action.STEP);
        assertThat(start.next()).isEqualTo(new Progress(CutoverState.CANARY, 0, 30, NOW.plusSeconds(10), 0, 0, 0));
    }

    @Test
    void shouldGiveAFirstReleaseAllTrafficAndPromoteItEvenWhenTheSpecAsksForACanary() {
        Decision start = CutoverProgress.start(CANARY, false, NOW);

        assertThat(start.action()).isEqualTo(Action.TAKE_ALL);
        assertThat(start.next().state()).isEqualTo(CutoverState.PROMOTED);
        assertThat(start.next().greenWeight()).isEqualTo(100);
        assertThat(start.reason()).contains("no blue");
    }

    @Test
    void shouldStartTheBakeWhenBlueGreenTakesAllTraffic() {
        Decision start = CutoverProgress.start(BAKE_60, true, NOW);

        assertThat(start.action()).isEqualTo(Action.TAKE_ALL);
        assertThat(start.next()).isEqualTo(new Progress(CutoverState.BAKING, 0, 100, NOW.plusSeconds(60), 0, 0, 0));
    }

    @Test
    void shouldPromoteAtOnceWithNoBake() {
        Decision start = CutoverProgress.start(NO_BAKE, true, NOW);

        assertThat(start.action()).isEqualTo(Action.TAKE_ALL);
        assertThat(start.next().state()).isEqualTo(CutoverState.PROMOTED);
        assertThat(start.reason()).isEqualTo("no bake in the service spec");
    }

    @Test
    void shouldSwitchBackOnAFailingIntervalWhateverTheWindow() {
        Progress baking = baking(3, 3, NOW.plusSeconds(30));

        Decision decision = CutoverProgress.judge(baking, BAKE_60, Verdict.FAIL, NOW);

        assertThat(decision.action()).isEqualTo(Action.FAIL);
        assertThat(decision.next()).isEqualTo(baking);
    }

    @Test
    void shouldCountPassedAndInconclusiveIntervalsWhileTheWindowRuns() {
        Progress baking = baking(0, 0, NOW.plusSeconds(30));

        Decision passed = CutoverProgress.judge(baking, BAKE_60, Verdict.PASS, NOW);
        Decision thin = CutoverProgress.judge(passed.next(), BAKE_60, Verdict.INCONCLUSIVE, NOW);
        Decision none = CutoverProgress.judge(thin.next(), BAKE_60, null, NOW);

        assertThat(List.of(passed.action(), thin.action(), none.action())).containsOnly(Action.HOLD);
        assertThat(none.next()).isEqualTo(new Progress(CutoverState.BAKING, 0, 100, NOW.plusSeconds(30), 1, 1, 1));
    }

    @Test
    void shouldSwitchBackWhenTheBakeEndsWithNoIntervalPassed() {
        Decision decision = CutoverProgress.judge(baking(0, 0, NOW), BAKE_60, Verdict.INCONCLUSIVE, NOW);

        assertThat(decision.action()).isEqualTo(Action.INCONCLUSIVE);
        assertThat(decision.reason()).contains("bake had enough requests");
        assertThat(decision.next().inconclusive()).isEqualTo(1);
    }

    @Test
    void shouldPromoteWhenTheBakeEndsWithAnIntervalPassed() {
        Decision decision = CutoverProgress.judge(baking(4, 2, NOW.minusSeconds(1)), BAKE_60, Verdict.PASS, NOW);

        assertThat(decision.action()).isEqualTo(Action.PROMOTE);
        assertThat(decision.next().state()).isEqualTo(CutoverState.PROMOTED);
        assertThat(decision.next().windowEndsAt()).isNull();
        assertThat(decision.reason()).isEqualTo("bake of 60 s passed: 5 interval(s) passed, 0 inconclusive, none failed");
    }

    @Test
    void shouldWalkToTheNextCanaryStepWhenAStepEndsWell() {
        Progress first = new Progress(CutoverState.CANARY, 0, 30, NOW, 2, 1, 2);

        Decision decision = CutoverProgress.judge(first, CANARY, null, NOW);

        assertThat(decision.action()).isEqualTo(Action.STEP);
        assertThat(decision.next()).isEqualTo(new Progress(CutoverState.CANARY, 1, 70, NOW.plusSeconds(20), 2, 1, 0));
    }

    @Test
    void shouldGiveGreenAllTrafficAndBakeAfterTheLastCanaryStep() {
        Progress last = new Progress(CutoverState.CANARY, 1, 70, NOW, 4, 0, 1);

        Decision decision = CutoverProgress.judge(last, CANARY, null, NOW);

        assertThat(decision.action()).isEqualTo(Action.TAKE_ALL);
        assertThat(decision.next()).isEqualTo(new Progress(CutoverState.BAKING, 2, 100, NOW.plusSeconds(60), 4, 0, 0));
    }

    @Test
    void shouldPromoteAfterTheLastCanaryStepWithNoBake() {
        Decision decision = CutoverProgress.judge(new Progress(CutoverState.CANARY, 0, 50, NOW, 1, 0, 1),
                CANARY_NO_BAKE, null, NOW);

        assertThat(decision.action()).isEqualTo(Action.TAKE_ALL);
        assertThat(decision.next().state()).isEqualTo(CutoverState.PROMOTED);
        assertThat(decision.reason()).isEqualTo("no bake in the service spec");
    }

    @Test
    void shouldSwitchBackWhenACanaryStepEndsWithNoIntervalPassed() {
        Decision decision = CutoverProgress.judge(new Progress(CutoverState.CANARY, 0, 30, NOW, 0, 3, 0), CANARY,
                null, NOW);

        assertThat(decision.action()).isEqualTo(Action.INCONCLUSIVE);
        assertThat(decision.reason()).contains("canary step");
    }

    @ParameterizedTest
    @EnumSource(value = CutoverState.class, names = {"PROMOTED", "ROLLED_BACK"})
    void shouldDoNothingWithACutoverAnalysisNoLongerWatches(CutoverState state) {
        Progress ended = new Progress(state, 0, 100, null, 1, 0, 1);

        assertThat(CutoverProgress.judge(ended, BAKE_60, Verdict.FAIL, NOW)).isEqualTo(new Decision(ended, Action.HOLD, ""));
        assertThat(CutoverProgress.promote(ended, BAKE_60, "why", NOW)).isEqualTo(new Decision(ended, Action.HOLD, ""));
    }

    @Test
    void shouldPromoteABakeOnRequest() {
        Decision decision = CutoverProgress.promote(baking(1, 1, NOW.plusSeconds(30)), BAKE_60, "verified by hand", NOW);

        assertThat(decision.action()).isEqualTo(Action.PROMOTE);
        assertThat(decision.next().state()).isEqualTo(CutoverState.PROMOTED);
        assertThat(decision.reason()).isEqualTo("promoted on request: verified by hand");
    }

    @Test
    void shouldGiveGreenAllTrafficWhenACanaryIsPromotedOnRequest() {
        Decision decision = CutoverProgress.promote(new Progress(CutoverState.CANARY, 0, 30, NOW.plusSeconds(5), 0, 0, 0),
                CANARY, "verified by hand", NOW);

        assertThat(decision.action()).isEqualTo(Action.TAKE_ALL);
        assertThat(decision.next().state()).isEqualTo(CutoverState.PROMOTED);
        assertThat(decision.next().greenWeight()).isEqualTo(100);
        assertThat(decision.reason()).isEqualTo("promoted on request: verified by hand");
    }

    @Test
    void shouldEndRolledBackAndUnwatched() {
        Progress rolledBack = CutoverProgress.rolledBack(baking(1, 1, NOW.plusSeconds(30)));

        assertThat(rolledBack.state()).isEqualTo(CutoverState.ROLLED_BACK);
        assertThat(rolledBack.state().isWatched()).isFalse();
        assertThat(rolledBack.windowEndsAt()).isNull();
    }

    private static Progress baking(int passed, int windowPassed, Instant endsAt) {
        return new Progress(CutoverState.BAKING, 0, 100, endsAt, passed, 0, windowPassed);
    }
}
