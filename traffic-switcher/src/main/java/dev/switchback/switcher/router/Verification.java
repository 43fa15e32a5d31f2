package dev.switchback.switcher.router;

import java.util.Map;

/**
 * A router's answer to "do you serve these weights now?": yes, no (it will not without another change, and why),
 * or not yet (a change is on its way, as with a provider whose changes settle eventually).
 *
 * @param answer YES, NO or NOT_YET
 * @param reason what the router serves instead, or what it waits for; empty for YES
 */
public record Verification(Answer answer, String reason) {

    /** The three answers a router may give. */
    public enum Answer {
        /** YES: the router serves the weights asked. */
        YES,
        /** NO: the router serves something else and will not serve the weights without another change. */
        NO,
        /** NOT_YET: the change is on its way: ask again. */
        NOT_YET
    }

    private static final Verification YES = new Verification(Answer.YES, "");

    public static Verification yes() {
        return YES;
    }

    public static Verification no(String reason) {
        return new Verification(Answer.NO, reason);
    }

    public static Verification notYet(String reason) {
        return new Verification(Answer.NOT_YET, reason);
    }

    /** YES when the served weights are the expected ones, else NO naming both: for routers whose switches are atomic. */
    public static Verification compare(String route, Map<String, Integer> served, Map<String, Integer> expected) {
        return served.equals(expected) ? YES : no("router serves " + (served.isEmpty() ? "no upstream" : served)
                + " on " + route + ", not " + expected);
    }

    public boolean isYes() {
        return answer == Answer.YES;
    }
}
