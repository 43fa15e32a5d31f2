package dev.switchback.releaseapi.release;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.switchback.releaseapi.release.Phase.AWAITING_APPROVAL;
import static dev.switchback.releaseapi.release.Phase.CANCELLED;
import static dev.switchback.releaseapi.release.Phase.DEPLOYING;
import static dev.switchback.releaseapi.release.Phase.FAILED;
import static dev.switchback.releaseapi.release.Phase.LIVE;
import static dev.switchback.releaseapi.release.Phase.MIGRATING;
import static dev.switchback.releaseapi.release.Phase.QUEUED;
import static dev.switchback.releaseapi.release.Phase.ROLLED_BACK;
import static dev.switchback.releaseapi.release.Phase.ROLLING_BACK;
import static dev.switchback.releaseapi.release.Phase.SWITCHING;

/**
 * The release's state machine as a table: for each trigger, the phases it may happen in and the phase it leaves the
 * release in. Nothing else moves a release. A stage's fact arriving in a phase the table does not list for it (late,
 * redelivered, or after the release ended) is recorded in the history and moves nothing.
 *
 * <p>Stage facts of the pipeline's forward path may arrive in any order across topics (a deployer's event before the
 * migrator's it follows), so each is allowed from every phase between MIGRATING and the one it leads to: the release
 * moves forward, never back. What the switcher decides about traffic (promotion, rollback) is recorded whatever
 * release-api asked for meanwhile: the switcher owns that decision.
 */
public final class Lifecycle {

    /** IN_PROGRESS: the phases in which a release holds its service and environment (LIVE holds it while baking). */
    public static final List<Phase> IN_PROGRESS = List.of(MIGRATING, DEPLOYING, SWITCHING, ROLLING_BACK);

    private record Transition(Set<Phase> from, Phase to) {
    }

    private static final Map<Trigger, Transition> TABLE = new EnumMap<>(Trigger.class);

    static {
        on(Trigger.AWAIT_APPROVAL, EnumSet.of(AWAITING_APPROVAL), AWAITING_APPROVAL);
        on(Trigger.QUEUE, EnumSet.of(QUEUED), QUEUED);
        on(Trigger.START, EnumSet.of(QUEUED), MIGRATING);
        on(Trigger.APPROVE, EnumSet.of(AWAITING_APPROVAL), QUEUED);
        on(Trigger.REJECT, EnumSet.of(AWAITING_APPROVAL), CANCELLED);
        on(Trigger.CANCEL, EnumSet.of(AWAITING_APPROVAL, QUEUED, MIGRATING, DEPLOYING, SWITCHING), CANCELLED);
        on(Trigger.FAIL_DEADLINE, EnumSet.of(MIGRATING, DEPLOYING, SWITCHING), FAILED);
        on(Trigger.REQUEST_ROLLBACK, EnumSet.of(LIVE), ROLLING_BACK);
        on(Trigger.ABANDON_ROLLBACK, EnumSet.of(ROLLING_BACK), LIVE);
        on(Trigger.REQUEST_PROMOTION, EnumSet.of(SWITCHING, LIVE), null);

        on(Trigger.MIGRATION_STARTED, EnumSet.of(MIGRATING), MIGRATING);
        forward(Trigger.MIGRATION_SUCCEEDED, DEPLOYING);
        forward(Trigger.MIGRATION_SKIPPED, DEPLOYING);
        forward(Trigger.BLUE_HEALTHY, DEPLOYING);
        forward(Trigger.BLUE_GATE_SKIPPED, DEPLOYING);
        forward(Trigger.GREEN_DEPLOYING, DEPLOYING);
        on(Trigger.CONTRACT_APPLIED, EnumSet.of(MIGRATING, DEPLOYING), LIVE);
        forward(Trigger.GREEN_READY, SWITCHING);
        forward(Trigger.CUTOVER_STARTED, SWITCHING);
        forward(Trigger.CANARY_STEP_STARTED, SWITCHING);
        forward(Trigger.CUTOVER_COMPLETED, LIVE);
        // A stage failing before traffic moved ends the release; after it moved, only a rollback undoes it.
        for (Trigger failure : List.of(Trigger.MIGRATION_FAILED, Trigger.BLUE_UNHEALTHY, Trigger.GREEN_FAILED,
                Trigger.CUTOVER_FAILED)) {
            on(failure, EnumSet.of(MIGRATING, DEPLOYING, SWITCHING), FAILED);
        }
        on(Trigger.ANALYSIS_FAILED, EnumSet.of(SWITCHING, LIVE, ROLLING_BACK), ROLLING_BACK);
        // The switcher promoted: recorded even while a rollback release-api asked for is on its way (it will fail).
        on(Trigger.BAKE_COMPLETED, EnumSet.of(SWITCHING, LIVE, ROLLING_BACK), LIVE);
        on(Trigger.ROLLBACK_COMPLETED, EnumSet.of(SWITCHING, LIVE, ROLLING_BACK), ROLLED_BACK);
        // The switcher kept green: a rollback that was asked for is over, the release stays where traffic is.
        on(Trigger.ROLLBACK_FAILED, EnumSet.of(ROLLING_BACK, LIVE), LIVE);
    }

    private Lifecycle() {
    }

    private static void on(Trigger trigger, Set<Phase> from, Phase to) {
        TABLE.put(trigger, new Transition(from, to));
    }

    /** A forward step of the pipeline: allowed from MIGRATING up to the phase it leads to. */
    private static void forward(Trigger trigger, Phase to) {
        Set<Phase> from = EnumSet.noneOf(Phase.class);
        for (Phase phase : Phase.values()) {
            if (phase.ordinal() >= MIGRATING.ordinal() && phase.ordinal() <= to.ordinal()) {
                from.add(phase);
            }
        }
        on(trigger, from, to);
    }

    /**
     * The phase a new release starts in: outside the queue while it waits for a second person's approval, otherwise
     * queued (it starts at once when its service and environment are free).
     */
    public static Phase initial(boolean needsApproval) {
        return needsApproval ? AWAITING_APPROVAL : QUEUED;
    }

    /** The phase the trigger leaves a release in, or empty when the trigger may not happen in {@code from}. */
    public static Optional<Phase> next(Phase from, Trigger trigger) {
        Transition transition = TABLE.get(trigger);
        if (transition == null || !transition.from().contains(from)) {
            return Optional.empty();
        }
        return Optional.of(transition.to() == null ? from : transition.to());
    }

    /** Whether the trigger may happen to a release in {@code from}. */
    public static boolean allows(Phase from, Trigger trigger) {
        return next(from, trigger).isPresent();
    }

    /**
     * Whether a release holds its service and environment: the next queued release waits while one is in progress,
     * or live and still baking (blue is warm and a rollback is still possible).
     */
    public static boolean holdsQueue(Phase phase, boolean promoted) {
        return IN_PROGRESS.contains(phase) || (phase == LIVE && !promoted);
    }

    /** Why a fact that may not happen in the release's phase moves nothing, for its history. */
    public static String whyIgnored(Phase phase) {
        return phase.isTerminal() ? "arrived after the release ended" : "late, ignored: the release is " + phase;
    }
}
