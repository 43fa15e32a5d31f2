package dev.switchback.releaseapi.dora;

import dev.switchback.events.EventType;
import dev.switchback.releaseapi.release.Phase;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.ReleaseStep;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The figures' rules on hand-made histories: what is a cutover, a change failure, a restore. */
class DoraCalculatorTest {

    private static final Instant TO = Instant.parse("2026-12-08T00:00:00Z");
    private static final Instant FROM = TO.minus(Duration.ofDays(7));
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    private final Map<UUID, List<ReleaseStep>> steps = new java.util.HashMap<>();

    @Test
    void shouldCountACanaryRolledBackBeforeGoingLiveAsACutoverAndAChangeFailure() {
        Release canary = release(Phase.ROLLED_BACK, null, null);
        step(canary, Phase.SWITCHING, EventType.TRAFFIC_CANARY_STEP_STARTED, T0);
        step(canary, Phase.ROLLING_BACK, EventType.TRAFFIC_ANALYSIS_FAILED, T0.plusSeconds(30));
        step(canary, Phase.ROLLED_BACK, EventType.TRAFFIC_ROLLBACK_COMPLETED, T0.plusSeconds(30).plusMillis(120));

        DoraFigures figures = compute(canary);

        assertThat(figures.changeFailureRate().cutovers()).isEqualTo(1);
        assertThat(figures.changeFailureRate().rate()).isEqualTo(1.0);
        assertThat(figures.timeToRestore().medianSeconds()).isEqualTo(0.12);
        assertThat(figures.leadTimeForChanges().samples()).isZero();
    }

    @Test
    void shouldLeaveOutContractReleasesReleasesBeforeTheWindowAndTheLeadTimeOfRolledBackOnes() {
        Release contract = release(Phase.LIVE, T0, T0.minusSeconds(60));
        contract.contractRelease = true;
        Release old = release(Phase.LIVE, FROM.minusSeconds(1), FROM.minusSeconds(100));
        Release rolledBack = release(Phase.ROLLED_BACK, T0, T0.minusSeconds(600));
        step(rolledBack, Phase.LIVE, EventType.TRAFFIC_CUTOVER_COMPLETED, T0);
        step(rolledBack, Phase.ROLLED_BACK, EventType.TRAFFIC_ROLLBACK_COMPLETED, T0.plusSeconds(2));
        Release live = release(Phase.LIVE, T0.plusSeconds(3600), T0.plusSeconds(3000));
        Release failed = release(Phase.FAILED, null, null);
        failed.updatedAt = T0;

        DoraFigures figures = compute(contract, old, rolledBack, live, failed);

        assertThat(figures.counts()).isEqualTo(new DoraFigures.Counts(2, 1, 1, 0, 0, 1, 1));
        assertThat(figures.leadTimeForChanges().medianSeconds()).as("the live one's only").isEqualTo(600.0);
        assertThat(figures.timeToRestore().medianSeconds()).as("rolled back straight from LIVE: no separate signal")
                .isEqualTo(0.0);
        assertThat(figures.deploymentFrequency().perDay()).isEqualTo(2 / 7.0);
    }

    @Test
    void shouldGiveNoRateWithoutCutovers() {
        DoraFigures figures = compute();
        assertThat(figures.changeFailureRate().rate()).isNull();
        assertThat(figures.timeToRestore().medianSeconds()).isNull();
        assertThat(figures.deploymentFrequency().deployments()).isZero();
    }

    private DoraFigures compute(Release... releases) {
        return DoraCalculator.compute("app", "local", List.of(releases), steps, FROM, TO);
    }

    private Release release(Phase phase, Instant liveAt, Instant commitTime) {
        Release release = new Release();
        release.id = UUID.randomUUID();
        release.phase = phase;
        release.liveAt = liveAt;
        release.commitTime = commitTime;
        release.updatedAt = liveAt;
        return release;
    }

    private void step(Release release, Phase phase, EventType type, Instant at) {
        ReleaseStep step = new ReleaseStep();
        step.releaseId = release.id;
        step.phase = phase;
        step.eventType = type.type();
        step.at = at;
        steps.computeIfAbsent(release.id, id -> new ArrayList<>()).add(step);
    }
}
