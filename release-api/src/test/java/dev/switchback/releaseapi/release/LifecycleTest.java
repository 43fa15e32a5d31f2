package dev.switchback.releaseapi.release;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Walks the release's transition table: every trigger in every phase, allowed or refused. */
class LifecycleTest {

    /**
     * EXPECTED: the whole table as the README and the glossary describe the phases, one line per trigger with each
     * allowed {@code FROM>TO}; every pair not listed must be refused.
     */
    private static final String EXPECTED = """
            AWAIT_APPROVAL       AWAITING_APPROVAL>AWAITING_APPROVAL
            QUEUE                QUEUED>QUEUED
            APPROVE              AWAITING_APPROVAL>QUEUED
            REJECT               AWAITING_APPROVAL>CANCELLED
            START                QUEUED>MIGRATING
            CANCEL               AWAITING_APPROVAL>CANCELLED QUEUED>CANCELLED MIGRATING>CANCELLED DEPLOYING>CANCELLED SWITCHING>CANCELLED
            FAIL_DEADLINE        MIGRATING>FAILED DEPLOYING>FAILED SWITCHING>FAILED
            REQUEST_ROLLBACK     LIVE>ROLLING_BACK
            ABANDON_ROLLBACK     ROLLING_BACK>LIVE
            REQUEST_PROMOTION    SWITCHING>SWITCHING LIVE>LIVE
            MIGRATION_STARTED    MIGRATING>MIGRATING
            MIGRATION_SUCCEEDED  MIGRATING>DEPLOYING DEPLOYING>DEPLOYING
            MIGRATION_SKIPPED    MIGRATING>DEPLOYING DEPLOYING>DEPLOYING
            MIGRATION_FAILED     MIGRATING>FAILED DEPLOYING>FAILED SWITCHING>FAILED
            BLUE_HEALTHY         MIGRATING>DEPLOYING DEPLOYING>DEPLOYING
            BLUE_GATE_SKIPPED    MIGRATING>DEPLOYING DEPLOYING>DEPLOYING
            CONTRACT_APPLIED     MIGRATING>LIVE DEPLOYING>LIVE
            BLUE_UNHEALTHY       MIGRATING>FAILED DEPLOYING>FAILED SWITCHING>FAILED
            GREEN_DEPLOYING      MIGRATING>DEPLOYING DEPLOYING>DEPLOYING
            GREEN_READY          MIGRATING>SWITCHING DEPLOYING>SWITCHING SWITCHING>SWITCHING
            GREEN_FAILED         MIGRATING>FAILED DEPLOYING>FAILED SWITCHING>FAILED
            CUTOVER_STARTED      MIGRATING>SWITCHING DEPLOYING>SWITCHING SWITCHING>SWITCHING
            CANARY_STEP_STARTED  MIGRATING>SWITCHING DEPLOYING>SWITCHING SWITCHING>SWITCHING
            CUTOVER_COMPLETED    MIGRATING>LIVE DEPLOYING>LIVE SWITCHING>LIVE LIVE>LIVE
            CUTOVER_FAILED       MIGRATING>FAILED DEPLOYING>FAILED SWITCHING>FAILED
            ANALYSIS_FAILED      SWITCHING>ROLLING_BACK LIVE>ROLLING_BACK ROLLING_BACK>ROLLING_BACK
            BAKE_COMPLETED       SWITCHING>LIVE LIVE>LIVE ROLLING_BACK>LIVE
            ROLLBACK_COMPLETED   SWITCHING>ROLLED_BACK LIVE>ROLLED_BACK ROLLING_BACK>ROLLED_BACK
            ROLLBACK_FAILED      ROLLING_BACK>LIVE LIVE>LIVE
            """;

    private static Map<Trigger, Map<Phase, Phase>> expected() {
        Map<Trigger, Map<Phase, Phase>> table = new EnumMap<>(Trigger.class);
        for (String line : EXPECTED.strip().split("\n")) {
            String[] words = line.trim().split("\\s+");
            Map<Phase, Phase> moves = new EnumMap<>(Phase.class);
            for (String pair : Arrays.copyOfRange(words, 1, words.length)) {
                String[] fromTo = pair.split(">");
                moves.put(Phase.valueOf(fromTo[0]), Phase.valueOf(fromTo[1]));
            }
            table.put(Trigger.valueOf(words[0]), moves);
        }
        return table;
    }

    @Test
    void shouldAllowExactlyTheTransitionsOfTheTableAndRefuseEveryOther() {
        Map<Trigger, Map<Phase, Phase>> expected = expected();
        assertThat(expected.keySet()).containsExactlyInAnyOrder(Trigger.values());
        int allowed = 0;
        int refused = 0;
        for (Trigger trigger : Trigger.values()) {
            for (Phase from : Phase.values()) {
                Optional<Phase> next = Lifecycle.next(from, trigger);
                Phase want = expected.get(trigger).get(from);
                assertThat(next).as("%s in %s", trigger, from).isEqualTo(Optional.ofNullable(want));
                if (want == null) {
                    refused++;
                } else {
                    allowed++;
                }
            }
        }
        assertThat(allowed + refused).isEqualTo(Trigger.values().length * Phase.values().length);
        assertThat(refused).isGreaterThan(allowed);
    }

    @Test
    void shouldLetNothingHappenToAnEndedRelease() {
        for (Phase ended : EnumSet.of(Phase.ROLLED_BACK, Phase.FAILED, Phase.CANCELLED)) {
            for (Trigger trigger : Trigger.values()) {
                assertThat(Lifecycle.allows(ended, trigger)).as("%s in %s", trigger, ended).isFalse();
            }
            assertThat(Lifecycle.whyIgnored(ended)).isEqualTo("arrived after the release ended");
        }
    }

    @Test
    void shouldNeverMoveAReleaseBackOnALateStageFact() {
        List<Phase> forward = List.of(Phase.QUEUED, Phase.MIGRATING, Phase.DEPLOYING, Phase.SWITCHING, Phase.LIVE);
        for (Trigger trigger : Trigger.values()) {
            if (trigger.owner() == Trigger.Owner.RELEASE_API) {
                continue;
            }
            for (Phase from : forward) {
                Lifecycle.next(from, trigger).filter(forward::contains).ifPresent(to -> assertThat(to.ordinal())
                        .as("%s moves %s back to %s", trigger, from, to).isGreaterThanOrEqualTo(from.ordinal()));
            }
        }
        assertThat(Lifecycle.whyIgnored(Phase.LIVE)).isEqualTo("late, ignored: the release is LIVE");
    }

    @Test
    void shouldRecordTheSwitchersDecisionWhateverReleaseApiAskedForMeanwhile() {
        // Promote and rollback raced: release-api moved to ROLLING_BACK, the switcher promoted first.
        assertThat(Lifecycle.next(Phase.ROLLING_BACK, Trigger.BAKE_COMPLETED)).contains(Phase.LIVE);
        // ... then refused the rollback: the release stays live, where the traffic is.
        assertThat(Lifecycle.next(Phase.LIVE, Trigger.ROLLBACK_FAILED)).contains(Phase.LIVE);
        for (Trigger trigger : Trigger.values()) {
            if (trigger.owner() == Trigger.Owner.TRAFFIC_SWITCHER && trigger != Trigger.CUTOVER_FAILED
                    && trigger != Trigger.CUTOVER_STARTED && trigger != Trigger.CANARY_STEP_STARTED) {
                assertThat(Lifecycle.allows(Phase.LIVE, trigger) || Lifecycle.allows(Phase.ROLLING_BACK, trigger))
                        .as("%s is recorded on a live release", trigger).isTrue();
            }
        }
    }

    @Test
    void shouldHoldTheQueueWhileInProgressOrBakingOnly() {
        Map<Phase, Boolean> baking = new HashMap<>();
        for (Phase phase : Phase.values()) {
            baking.put(phase, Lifecycle.holdsQueue(phase, false));
            assertThat(Lifecycle.holdsQueue(phase, true)).as("%s promoted", phase)
                    .isEqualTo(Lifecycle.IN_PROGRESS.contains(phase));
        }
        assertThat(baking).containsEntry(Phase.LIVE, true).containsEntry(Phase.MIGRATING, true)
                .containsEntry(Phase.ROLLING_BACK, true).containsEntry(Phase.QUEUED, false)
                .containsEntry(Phase.AWAITING_APPROVAL, false).containsEntry(Phase.ROLLED_BACK, false);
    }

    @Test
    void shouldStartANewReleaseOutsideTheQueueWhenItNeedsApproval() {
        assertThat(Lifecycle.initial(true)).isEqualTo(Phase.AWAITING_APPROVAL);
        assertThat(Lifecycle.initial(false)).isEqualTo(Phase.QUEUED);
    }
}
