package dev.switchback.releaseapi.release.service;

import dev.switchback.events.EventCodec;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.releaseapi.config.ReleaseConfig;
import dev.switchback.releaseapi.release.Condition;
import dev.switchback.releaseapi.release.Phase;
import dev.switchback.releaseapi.release.Release;
import dev.switchback.releaseapi.release.Trigger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * No release stays in progress forever: one stuck past its phase's deadline (a lost event, a stage that died) is
 * failed, and a bake that does not end is rolled back, so the queue moves on. Each is decided on the release read again
 * under its lock: a command or a stage's event that moved it meanwhile wins.
 */
@ApplicationScoped
public class Deadlines {

    private final ReleaseTransitions transitions;
    private final ReleaseQueue queue;
    private final ReleaseConfig config;
    private final Clock clock;

    public Deadlines(ReleaseTransitions transitions, ReleaseQueue queue, ReleaseConfig config, Clock clock) {
        this.transitions = transitions;
        this.queue = queue;
        this.config = config;
        this.clock = clock;
    }

    /** Ends or rolls back every release past its deadline; returns how many. */
    @Transactional
    public int enforce() {
        Instant now = clock.instant();
        int ended = 0;
        for (Release candidate : Release.holdingAll()) {
            if (!overdue(candidate, now)) {
                continue;
            }
            Release release = transitions.lock(candidate.id);
            if (overdue(release, now)) {
                end(release, now);
                ended++;
            }
        }
        return ended;
    }

    private void end(Release release, Instant now) {
        Duration deadline = deadline(release);
        if (release.phase == Phase.LIVE) {
            // The bake did not end on time (the switcher is away): the safe color is blue, which is still warm.
            OperatorCommands.requestRollback(transitions, release, "the bake did not end within "
                    + deadline.toSeconds() + " s of going live", now);
        } else if (release.phase == Phase.ROLLING_BACK) {
            transitions.fire(release, Trigger.ABANDON_ROLLBACK, "rollback did not complete: stuck in ROLLING_BACK for more"
                    + " than " + deadline.toSeconds() + " s; the release stays live", now);
            release.setCondition(Condition.BAKING, true, "RollbackFailed", "the rollback did not complete in time", now);
            release.setCondition(Condition.PROMOTED, false, "BakeInProgress", "not yet promoted", now);
        } else if (transitions.fail(release, Trigger.FAIL_DEADLINE, "watchdog", "stuck in " + release.phase
                + " for more than " + deadline.toSeconds() + " s", now)) {
            queue.startNext(release.service, release.environment);
        }
    }

    /**
     * Whether the release is past its deadline. A live release whose rollback the switcher refused is not asked
     * again: the switcher is there and still watches its bake.
     */
    private boolean overdue(Release release, Instant now) {
        if (!release.holdsQueue() || (release.phase == Phase.LIVE && release.contractRelease)) {
            return false;
        }
        if (release.phase == Phase.LIVE && release.condition(Condition.BAKING)
                .map(c -> "RollbackFailed".equals(c.reason())).orElse(false)) {
            return false;
        }
        Instant since = release.phase == Phase.LIVE ? release.liveAt : release.updatedAt;
        return since != null && !since.plus(deadline(release)).isAfter(now);
    }

    private Duration deadline(Release release) {
        ReleaseSpec spec = EventCodec.fromJson(release.spec, ReleaseSpec.class);
        return switch (release.phase) {
            case MIGRATING -> config.migratingDeadline();
            // Green has its health deadline to get healthy; the deploying deadline comes on top of it.
            case DEPLOYING -> config.deployingDeadline().plusSeconds(spec.health().deadlineSeconds());
            // A canary spends its pauses switching.
            case SWITCHING -> config.switchingDeadline().plusSeconds(spec.rolloutOrDefault().canarySeconds());
            case LIVE -> config.bakingDeadline().plusSeconds(spec.rolloutOrDefault().bake());
            default -> config.rollingBackDeadline();
        };
    }
}
