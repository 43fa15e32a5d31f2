package dev.switchback.switcher.route;

/** Where a cutover stands; stored by name in {@code cutover.state}. */
public enum CutoverState {
    /** CANARY: green takes a share of the traffic, step by step, while analysis runs. */
    CANARY,
    /** BAKING: green takes all traffic, blue is kept warm and analysis runs until the bake ends. */
    BAKING,
    /** PROMOTED: the bake ended well; blue is retired and there is nothing to switch back to. */
    PROMOTED,
    /** ROLLED_BACK: traffic went back to blue. */
    ROLLED_BACK;

    /** Whether analysis watches a cutover in this state: a canary step or the bake is under way. */
    public boolean isWatched() {
        return this == CANARY || this == BAKING;
    }
}
