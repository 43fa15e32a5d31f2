package dev.switchback.switcher.route.service;

import dev.switchback.events.RolloutSpec;
import dev.switchback.switcher.analysis.Verdict;
import dev.switchback.switcher.route.Cutover;
import dev.switchback.switcher.route.CutoverState;

import java.time.Instant;

/**
 * The cutover's state machine as plain code: each function takes where a cutover stands (and a verdict, a request,
 * the time) and returns where it goes next and what the switcher must do for that. Nothing here reads a clock, a
 * router or the database, so a unit test walks every transition; {@link SwitchService} does what it says.
 */
public final class CutoverProgress {

    /** What the switcher must do to reach the next progress. */
    public enum Action {
        /** HOLD: nothing; only the interval counts change. */
        HOLD,
        /** STEP: set green's weight to the (next) canary step's, publish the step. */
        STEP,
        /** TAKE_ALL: all traffic to green, publish the cutover completed; promoted too when the state says so. */
        TAKE_ALL,
        /** PROMOTE: the bake passed: publish it; blue may be retired. */
        PROMOTE,
        /** FAIL: an interval failed: all traffic back on blue now. */
        FAIL,
        /** INCONCLUSIVE: the step or bake ended with no interval passed: too little data is never a pass, back to blue. */
        INCONCLUSIVE
    }

    /**
     * What of a cutover its progress is decided on.
     *
     * @param state         where it stands
     * @param step          canary step under way, from 0; the number of steps once green takes all traffic
     * @param greenWeight   green's share of new requests
     * @param windowEndsAt  end of the step or bake under way; null when none is
     * @param passed        intervals passed over the whole cutover
     * @param inconclusive  intervals too thin to judge over the whole cutover
     * @param windowPassed  intervals passed in the step or bake under way
     */
    public record Progress(CutoverState state, int step, int greenWeight, Instant windowEndsAt, int passed,
                           int inconclusive, int windowPassed) {

        /** Where a cutover entity stands. */
        public static Progress of(Cutover cutover) {
            return new Progress(cutover.state, cutover.step, cutover.greenWeight, cutover.windowEndsAt,
                    cutover.passedIntervals, cutover.inconclusiveIntervals, cutover.windowPassed);
        }

        /** Writes this progress into the entity. */
        public void applyTo(Cutover cutover) {
            cutover.state = state;
            cutover.step = step;
            cutover.greenWeight = greenWeight;
            cutover.windowEndsAt = windowEndsAt;
            cutover.passedIntervals = passed;
            cutover.inconclusiveIntervals = inconclusive;
            cutover.windowPassed = windowPassed;
        }

        private Progress with(CutoverState state, Instant windowEndsAt) {
            return new Progress(state, step, greenWeight, windowEndsAt, passed, inconclusive, windowPassed);
        }
    }

    /**
     * A decision: the progress to record once the action is done, the action, and why (a promotion's reason).
     *
     * @param next   the progress after the action
     * @param action what to do
     * @param reason why, as the events say it; empty when there is nothing to say
     */
    public record Decision(Progress next, Action action, String reason) {
    }

    private CutoverProgress() {
    }

    /** A green is ready: a canary starts at its first step when there is a blue to share with, else green takes all. */
    public static Decision start(RolloutSpec rollout, boolean hasBlue, Instant now) {
        if (rollout.isCanary() && hasBlue) {
            RolloutSpec.CanaryStep first = rollout.steps().get(0);
            return new Decision(new Progress(CutoverState.CANARY, 0, first.weight(),
                    now.plusSeconds(first.pauseSeconds()), 0, 0, 0), Action.STEP, "");
        }
        return takeAll(new Progress(CutoverState.BAKING, 0, 100, null, 0, 0, 0), rollout, hasBlue, now);
    }

    /**
     * One analysis interval (or none: {@code verdict} null), at {@code now}: a failing interval switches back at
     * once; at the end of a step or the bake, the next step, all traffic to green, the promotion, or — when no
     * interval of it passed — the switch back.
     */
    public static Decision judge(Progress progress, RolloutSpec rollout, Verdict verdict, Instant now) {
        if (progress.state() == null || !progress.state().isWatched()) {
            return new Decision(progress, Action.HOLD, "");
        }
        if (verdict == Verdict.FAIL) {
            return new Decision(progress, Action.FAIL, "");
        }
        Progress counted = new Progress(progress.state(), progress.step(), progress.greenWeight(),
                progress.windowEndsAt(), progress.passed() + (verdict == Verdict.PASS ? 1 : 0),
                progress.inconclusive() + (verdict == Verdict.INCONCLUSIVE ? 1 : 0),
                progress.windowPassed() + (verdict == Verdict.PASS ? 1 : 0));
        if (counted.windowEndsAt() == null || now.isBefore(counted.windowEndsAt())) {
            return new Decision(counted, Action.HOLD, "");
        }
        if (counted.windowPassed() == 0) {
            return new Decision(counted, Action.INCONCLUSIVE, "no interval of the "
                    + (counted.state() == CutoverState.CANARY ? "canary step" : "bake") + " had enough requests to pass");
        }
        if (counted.state() == CutoverState.CANARY) {
            int next = counted.step() + 1;
            if (next < rollout.steps().size()) {
                RolloutSpec.CanaryStep step = rollout.steps().get(next);
                return new Decision(new Progress(CutoverState.CANARY, next, step.weight(),
                        now.plusSeconds(step.pauseSeconds()), counted.passed(), counted.inconclusive(), 0),
                        Action.STEP, "");
            }
            return takeAll(counted, rollout, true, now);
        }
        return new Decision(counted.with(CutoverState.PROMOTED, null), Action.PROMOTE, "bake of " + rollout.bake()
                + " s passed: " + counted.passed() + " interval(s) passed, " + counted.inconclusive()
                + " inconclusive, none failed");
    }

    /** Promotion was asked for: a canary first gives green all traffic; either way the cutover ends promoted. */
    public static Decision promote(Progress progress, RolloutSpec rollout, String reason, Instant now) {
        if (progress.state() == null || !progress.state().isWatched()) {
            return new Decision(progress, Action.HOLD, "");
        }
        String why = "promoted on request: " + reason;
        if (progress.state() == CutoverState.CANARY) {
            Decision all = takeAll(progress, rollout, true, now);
            return new Decision(all.next().with(CutoverState.PROMOTED, null), Action.TAKE_ALL,
                    all.next().state() == CutoverState.PROMOTED ? all.reason() : why);
        }
        return new Decision(progress.with(CutoverState.PROMOTED, null), Action.PROMOTE, why);
    }

    /** Traffic is back on blue: the cutover ends rolled back, and analysis stops watching it. */
    public static Progress rolledBack(Progress progress) {
        return progress.with(CutoverState.ROLLED_BACK, null);
    }

    /** Green takes all traffic: the bake starts, or — with no blue to keep warm, or no bake — green is promoted. */
    private static Decision takeAll(Progress progress, RolloutSpec rollout, boolean hasBlue, Instant now) {
        Progress all = new Progress(CutoverState.BAKING, rollout.isCanary() ? rollout.steps().size() : 0, 100, null,
                progress.passed(), progress.inconclusive(), 0);
        if (!hasBlue) {
            return new Decision(all.with(CutoverState.PROMOTED, null), Action.TAKE_ALL,
                    "first release: there is no blue to keep warm");
        }
        if (rollout.bake() == 0) {
            return new Decision(all.with(CutoverState.PROMOTED, null), Action.TAKE_ALL, "no bake in the service spec");
        }
        return new Decision(all.with(CutoverState.BAKING, now.plusSeconds(rollout.bake())), Action.TAKE_ALL, "");
    }
}
